package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Activation of the fallback Ingress: the cluster has no Gateway API. */
public class GatewayApiAbsent implements Condition<Ingress, MicroserviceSystem> {
  @Override
  public boolean isMet(
      DependentResource<Ingress, MicroserviceSystem> dependent,
      MicroserviceSystem primary,
      Context<MicroserviceSystem> context) {
    return !GatewayApiInstalled.in(context.getClient());
  }
}
