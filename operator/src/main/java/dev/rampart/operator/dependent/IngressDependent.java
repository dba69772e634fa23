package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;

/**
 * The gateway's Ingress, the fallback where the cluster has no Gateway API. Always active (Ingress
 * is a built-in API), so once the Gateway API is observed ({@link GatewayApiInstalled}) nothing is
 * desired and the Ingress is deleted: an activation condition turning false would leave it serving.
 */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class IngressDependent extends SystemChildren<Ingress> {
  public IngressDependent() {
    super(Ingress.class);
  }

  @Override
  public Map<ResourceID, Ingress> desiredResources(
      MicroserviceSystem system, Context<MicroserviceSystem> context) {
    return GatewayApiInstalled.observe(context)
        ? Map.of()
        : super.desiredResources(system, context);
  }

  @Override
  protected List<Ingress> desired(MicroserviceSystem system, ReferencedConfig config) {
    return system
        .getSpec()
        .gatewaySpec()
        .map(g -> List.of(GatewayRoutes.ingress(system, g)))
        .orElse(List.of());
  }
}
