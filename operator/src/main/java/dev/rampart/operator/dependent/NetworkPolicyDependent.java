package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.SystemWall;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** The system's wall (see {@link SystemWall}); none when spec.networkPolicy.enabled is false. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class NetworkPolicyDependent extends SystemChildren<NetworkPolicy> {
  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected List<NetworkPolicy> desired(MicroserviceSystem system, ReferencedConfig config) {
    return system.getSpec().networkPoliciesEnabled() ? SystemWall.of(system) : List.of();
  }
}
