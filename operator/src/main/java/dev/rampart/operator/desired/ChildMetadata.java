package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * Name, namespace and labels of a child object that belongs to one component (a service or the
 * gateway).
 */
public final class ChildMetadata {
  private ChildMetadata() {}

  public static ObjectMeta forComponent(MicroserviceSystem system, String component, String kind) {
    return new ObjectMetaBuilder()
        .withName(Labels.resourceName(system.name(), component))
        .withNamespace(system.getMetadata().getNamespace())
        .withLabels(Labels.forService(system.name(), component, kind))
        .build();
  }

  public static ObjectMeta named(
      MicroserviceSystem system, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(system.getMetadata().getNamespace())
        .withLabels(labels)
        .build();
  }

  /** Labels of system-wide objects (topics, policies) that belong to no single component. */
  public static Map<String, String> systemLabels(MicroserviceSystem system, String component) {
    return Map.of(
        Labels.PART_OF,
        system.name(),
        Labels.MANAGED_BY,
        Labels.MANAGED_BY_VALUE,
        Labels.COMPONENT,
        component,
        Labels.SYSTEM,
        system.name());
  }
}
