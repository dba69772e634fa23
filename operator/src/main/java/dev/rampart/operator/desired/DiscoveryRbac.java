package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/**
 * Per component: the identity its pods run as, and the right to read pods in the namespace, which
 * Akka's kubernetes-api discovery needs both for cluster bootstrap and to find the gRPC peers.
 */
public final class DiscoveryRbac {
  private DiscoveryRbac() {}

  public static ServiceAccount serviceAccount(
      MicroserviceSystem system, String component, String kind) {
    return new ServiceAccountBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, kind))
        .build();
  }

  public static Role podReader(MicroserviceSystem system, String component, String kind) {
    return new RoleBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, kind))
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("pods")
                .withVerbs("get", "list", "watch")
                .build())
        .build();
  }

  public static RoleBinding podReaderBinding(
      MicroserviceSystem system, String component, String kind) {
    String name = Labels.resourceName(system.name(), component);
    return new RoleBindingBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, kind))
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(system.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
