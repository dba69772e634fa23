package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every child name a system derives, by kind. The scheme is {@code <system>-<suffix>}:
 *
 * <ul>
 *   <li>per component (each service, and {@code gateway}): Deployment, ServiceAccount, Role,
 *       RoleBinding, Service, PodDisruptionBudget and NetworkPolicy {@code <system>-<component>};
 *   <li>{@code <system>-deny-all}: the default-deny NetworkPolicy;
 *   <li>{@code <system>-gateway}: the HTTPRoute (or Ingress);
 *   <li>{@code <system>-<topic>}: a KafkaTopic per topic.
 * </ul>
 *
 * Within one system the CRD keeps these apart ({@code gateway} and {@code deny-all} are reserved
 * service names) and within 63 characters. Across systems in one namespace the scheme is ambiguous
 * (system {@code a} + service {@code b-c} and system {@code a-b} + service {@code c} both give
 * {@code a-b-c}); a CR cannot see other CRs, so the operator refuses to take over a child another
 * system owns instead (see {@code reconciler.OwnershipConflicts}).
 */
public final class ChildNames {
  /** Kinds every component (service or gateway) has one of. */
  public static final List<Class<? extends HasMetadata>> PER_COMPONENT =
      List.of(
          Deployment.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class,
          Service.class,
          PodDisruptionBudget.class);

  private ChildNames() {}

  /**
   * Kind to child names. The gateway's route is listed as both HTTPRoute and Ingress: the kind
   * depends on the cluster (Gateway API installed or not), the name does not.
   */
  public static Map<Class<? extends HasMetadata>, List<String>> of(MicroserviceSystem system) {
    List<String> components =
        SystemComponents.of(system).all().stream()
            .map(c -> Labels.resourceName(system.name(), c.name()))
            .toList();
    Map<Class<? extends HasMetadata>, List<String>> names = new LinkedHashMap<>();
    PER_COMPONENT.forEach(kind -> names.put(kind, components));
    if (system.getSpec().networkPoliciesEnabled()) {
      List<String> policies = new ArrayList<>();
      policies.add(SystemWall.denyAllName(system));
      policies.addAll(components);
      names.put(NetworkPolicy.class, policies);
    }
    if (system.getSpec().gatewaySpec().isPresent()) {
      names.put(HTTPRoute.class, List.of(GatewayRoutes.name(system)));
      names.put(Ingress.class, List.of(GatewayRoutes.name(system)));
    }
    system
        .getSpec()
        .kafkaSpec()
        .ifPresent(
            k ->
                names.put(
                    KafkaTopic.class,
                    k.topicList().stream()
                        .map(t -> KafkaTopics.resourceName(system, t.name))
                        .toList()));
    return names;
  }
}
