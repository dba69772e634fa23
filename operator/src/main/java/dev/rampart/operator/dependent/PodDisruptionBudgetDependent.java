package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.DisruptionBudgets;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** A PodDisruptionBudget (maxUnavailable 1) per component. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends SystemChildren<PodDisruptionBudget> {
  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected List<PodDisruptionBudget> desired(MicroserviceSystem system, ReferencedConfig config) {
    return SystemComponents.of(system).all().stream()
        .map(c -> DisruptionBudgets.oneAtATime(system, c.name(), c.kind()))
        .toList();
  }
}
