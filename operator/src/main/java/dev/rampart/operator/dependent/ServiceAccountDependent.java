package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.DiscoveryRbac;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** One ServiceAccount per component (each service and the gateway): see {@link DiscoveryRbac}. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class ServiceAccountDependent extends SystemChildren<ServiceAccount> {
  public ServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected List<ServiceAccount> desired(MicroserviceSystem system, ReferencedConfig config) {
    return SystemComponents.of(system).all().stream()
        .map(c -> DiscoveryRbac.serviceAccount(system, c.name(), c.kind()))
        .toList();
  }
}
