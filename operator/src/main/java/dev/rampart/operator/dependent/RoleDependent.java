package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.DiscoveryRbac;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** One Role per component (each service and the gateway): see {@link DiscoveryRbac}. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class RoleDependent extends SystemChildren<Role> {
  public RoleDependent() {
    super(Role.class);
  }

  @Override
  protected List<Role> desired(MicroserviceSystem system, ReferencedConfig config) {
    return SystemComponents.of(system).all().stream()
        .map(c -> DiscoveryRbac.podReader(system, c.name(), c.kind()))
        .toList();
  }
}
