package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ApiServerEndpoints;
import dev.rampart.operator.desired.SystemWall;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;

/**
 * The system's wall (see {@link SystemWall}), open to the API server where its EndpointSlice says
 * it is; none when spec.networkPolicy.enabled is false.
 */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class NetworkPolicyDependent extends SystemChildren<NetworkPolicy> {
  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected List<NetworkPolicy> desired(
      MicroserviceSystem system,
      Context<MicroserviceSystem> context,
      Map<String, NetworkPolicy> appliedByName) {
    return wall(system, ApiServerEndpointSlice.observe(context));
  }

  /** Without the informers' view: the wall as long as the API server's addresses are unknown. */
  @Override
  protected List<NetworkPolicy> desired(MicroserviceSystem system, ReferencedConfig config) {
    return wall(system, ApiServerEndpoints.UNKNOWN);
  }

  private static List<NetworkPolicy> wall(MicroserviceSystem system, ApiServerEndpoints api) {
    return system.getSpec().networkPoliciesEnabled() ? SystemWall.of(system, api) : List.of();
  }
}
