package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.DiscoveryRbac;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** One RoleBinding per component (each service and the gateway): see {@link DiscoveryRbac}. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class RoleBindingDependent extends SystemChildren<RoleBinding> {
  public RoleBindingDependent() {
    super(RoleBinding.class);
  }

  @Override
  protected List<RoleBinding> desired(MicroserviceSystem system, ReferencedConfig config) {
    return SystemComponents.of(system).all().stream()
        .map(c -> DiscoveryRbac.podReaderBinding(system, c.name(), c.kind()))
        .toList();
  }
}
