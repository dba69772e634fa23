package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The gateway's HTTPRoute, where the cluster has the Gateway API (see {@link GatewayApiPresent}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class HttpRouteDependent extends SystemChildren<HTTPRoute> {
  public HttpRouteDependent() {
    super(HTTPRoute.class);
  }

  @Override
  protected List<HTTPRoute> desired(MicroserviceSystem system, ReferencedConfig config) {
    return system
        .getSpec()
        .gatewaySpec()
        .map(g -> List.of(GatewayRoutes.httpRoute(system, g)))
        .orElse(List.of());
  }
}
