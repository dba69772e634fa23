package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ClusterIpServices;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;

/** A ClusterIP Service per service (gRPC) and the gateway's (HTTP). */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class ServiceDependent extends SystemChildren<Service> {
  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected List<Service> desired(MicroserviceSystem system, ReferencedConfig config) {
    List<Service> services = new ArrayList<>();
    system.getSpec().services().forEach(s -> services.add(ClusterIpServices.grpc(system, s.name)));
    system
        .getSpec()
        .gatewaySpec()
        .ifPresent(g -> services.add(ClusterIpServices.gateway(system, g)));
    return services;
  }
}
