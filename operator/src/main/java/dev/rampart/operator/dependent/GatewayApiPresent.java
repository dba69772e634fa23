package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activation of the HTTPRoute: the cluster has the Gateway API (this reconcile's observation, the
 * same the Ingress is decided from).
 */
public class GatewayApiPresent implements Condition<HTTPRoute, MicroserviceSystem> {
  @Override
  public boolean isMet(
      DependentResource<HTTPRoute, MicroserviceSystem> dependent,
      MicroserviceSystem primary,
      Context<MicroserviceSystem> context) {
    return GatewayApiInstalled.observe(context);
  }
}
