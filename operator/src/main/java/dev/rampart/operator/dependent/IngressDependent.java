package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The gateway's Ingress, the fallback where the cluster has no Gateway API (see {@link
 * GatewayApiAbsent}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class IngressDependent extends SystemChildren<Ingress> {
  public IngressDependent() {
    super(Ingress.class);
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
