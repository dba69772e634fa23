package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * At most one pod of a component evicted at a time: an Akka cluster loses one member, never its
 * majority.
 */
public final class DisruptionBudgets {
  private DisruptionBudgets() {}

  public static PodDisruptionBudget oneAtATime(
      MicroserviceSystem system, String component, String kind) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, kind))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(Labels.selectorForService(system.name(), component))
        .endSelector()
        .endSpec()
        .build();
  }
}
