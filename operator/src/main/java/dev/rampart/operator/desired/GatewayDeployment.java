package dev.rampart.operator.desired;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.PodTemplateOverrides;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.stream.Collectors;

/** The Deployment of the gateway: stateless HTTP pods that forward to the routed services over gRPC. */
public final class GatewayDeployment {
  static final String CONTAINER = "gateway";

  private GatewayDeployment() {}

  public static Deployment of(MicroserviceSystem system, GatewaySpec gateway, String configHash) {
    String component = Labels.GATEWAY_SERVICE_NAME;
    var noOverrides = new PodTemplateOverrides();
    return new DeploymentBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, Labels.COMPONENT_GATEWAY))
        .withNewSpec()
        .withReplicas(gateway.replicasOrDefault())
        .withNewSelector().withMatchLabels(Labels.selectorForService(system.name(), component)).endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(ServiceDeployment.podLabels(system.name(), component, Labels.COMPONENT_GATEWAY, noOverrides))
        .withAnnotations(ServiceDeployment.podAnnotations(configHash, noOverrides))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(Labels.resourceName(system.name(), component))
        .withContainers(new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(gateway.imageOrDefault())
            .withPorts(ServiceDeployment.port(Ports.HTTP_NAME, Ports.HTTP))
            .withEnv(env(system, gateway))
            .withResources(gateway.resources)
            .withReadinessProbe(ServiceDeployment.httpProbe(Probes.GATEWAY_READY, Ports.HTTP_NAME, 5, 3))
            .withLivenessProbe(ServiceDeployment.httpProbe(Probes.GATEWAY_ALIVE, Ports.HTTP_NAME, 10, 6))
            .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** {@code /api/orders=order,...}: what the gateway reads to map paths to services. */
  public static String routes(GatewaySpec gateway) {
    return gateway.routeList().stream().map(r -> r.pathPrefix + "=" + r.service).collect(Collectors.joining(","));
  }

  static List<EnvVar> env(MicroserviceSystem system, GatewaySpec gateway) {
    List<EnvVar> env = ServiceDeployment.identityEnv(system, Labels.GATEWAY_SERVICE_NAME);
    env.add(PodEnvironment.literal(Env.HTTP_PORT, Ports.HTTP));
    env.add(PodEnvironment.literal(Env.DISCOVERY_METHOD, Env.DISCOVERY_KUBERNETES));
    env.add(PodEnvironment.literal(Env.GATEWAY_ROUTES, routes(gateway)));
    env.add(PodEnvironment.literal(Env.PEERS, ServiceDeployment.peers(system, routedServices(gateway))));
    return env;
  }

  public static List<String> routedServices(GatewaySpec gateway) {
    return gateway.routeList().stream().map(r -> r.service).distinct().toList();
  }
}
