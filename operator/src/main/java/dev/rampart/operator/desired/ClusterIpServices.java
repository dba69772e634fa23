package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * ClusterIP Services: a service's gRPC port (clients inside the system balance per pod through
 * kubernetes-api discovery; the Service is the stable name for anything else), and the gateway's
 * HTTP port (the route's backend) and, with egress declared, its internal egress port.
 */
public final class ClusterIpServices {
  private ClusterIpServices() {}

  public static Service grpc(MicroserviceSystem system, String service) {
    return new ServiceBuilder()
        .withMetadata(ChildMetadata.forComponent(system, service, Labels.COMPONENT_SERVICE))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selectorForService(system.name(), service))
        .withPorts(
            new ServicePortBuilder()
                .withName(Ports.GRPC_NAME)
                .withProtocol("TCP")
                .withAppProtocol("kubernetes.io/h2c")
                .withPort(Ports.GRPC)
                .withTargetPort(new IntOrString(Ports.GRPC_NAME))
                .build())
        .endSpec()
        .build();
  }

  public static Service gateway(MicroserviceSystem system, GatewaySpec gateway) {
    String component = Labels.GATEWAY_SERVICE_NAME;
    List<ServicePort> ports = new ArrayList<>();
    ports.add(
        new ServicePortBuilder()
            .withName(Ports.HTTP_NAME)
            .withProtocol("TCP")
            .withPort(gateway.servicePortOrDefault())
            .withTargetPort(new IntOrString(Ports.HTTP_NAME))
            .build());
    if (!gateway.egressList().isEmpty()) {
      // for the system's own pods (the wall admits only them); no route names this port
      ports.add(
          new ServicePortBuilder()
              .withName(Ports.GATEWAY_EGRESS_NAME)
              .withProtocol("TCP")
              .withPort(Ports.GATEWAY_EGRESS)
              .withTargetPort(new IntOrString(Ports.GATEWAY_EGRESS_NAME))
              .build());
    }
    return new ServiceBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, Labels.COMPONENT_GATEWAY))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selectorForService(system.name(), component))
        .withPorts(ports)
        .endSpec()
        .build();
  }
}
