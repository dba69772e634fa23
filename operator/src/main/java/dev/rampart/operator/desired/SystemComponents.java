package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import java.util.ArrayList;
import java.util.List;

/** The components of a system that each get pods: every service, plus the gateway when declared. */
public record SystemComponents(List<Component> all) {

  /** A component's name within its system and its {@link Labels#COMPONENT} value. */
  public record Component(String name, String kind) {
    public boolean isGateway() {
      return Labels.COMPONENT_GATEWAY.equals(kind);
    }
  }

  public static SystemComponents of(MicroserviceSystem system) {
    List<Component> components = new ArrayList<>();
    system
        .getSpec()
        .services()
        .forEach(s -> components.add(new Component(s.name, Labels.COMPONENT_SERVICE)));
    system
        .getSpec()
        .gatewaySpec()
        .ifPresent(
            g ->
                components.add(
                    new Component(Labels.GATEWAY_SERVICE_NAME, Labels.COMPONENT_GATEWAY)));
    return new SystemComponents(List.copyOf(components));
  }
}
