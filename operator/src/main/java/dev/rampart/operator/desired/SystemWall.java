package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.NetworkPolicySpec;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The wall: NetworkPolicies that make the gateway the only way in. {@code <system>-deny-all}
 * selects every pod of the system with no rule (deny in and out); then one policy per component
 * opens exactly what it needs:
 *
 * <ul>
 *   <li>a service: in from its own pods (remoting, management), from its declared callers and, when
 *       routed, the gateway (gRPC), and from the operator (management, for status); out to its own
 *       pods, its callees (gRPC), Kafka, the database, DNS and the API server (Akka discovery);
 *   <li>the gateway: in from anywhere on HTTP; out to the routed services (gRPC), DNS and the API
 *       server.
 * </ul>
 *
 * Kafka, database and API-server egress is opened by port to any address: their IPs are outside the
 * operator's knowledge, their ports are not.
 */
public final class SystemWall {
  static final String COMPONENT = "network-policy";
  private static final Pattern JDBC_PORT = Pattern.compile("^jdbc:[a-z0-9]+://[^/:?]+:(\\d+)");
  private static final int DEFAULT_DB_PORT = 5432;

  private SystemWall() {}

  public static String denyAllName(MicroserviceSystem system) {
    return Labels.resourceName(system.name(), "deny-all");
  }

  public static List<NetworkPolicy> of(MicroserviceSystem system) {
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(denyAll(system));
    system.getSpec().services().forEach(s -> policies.add(forService(system, s)));
    system.getSpec().gatewaySpec().ifPresent(g -> policies.add(forGateway(system, g)));
    return policies;
  }

  static NetworkPolicy denyAll(MicroserviceSystem system) {
    return new NetworkPolicyBuilder()
        .withMetadata(
            ChildMetadata.named(
                system, denyAllName(system), ChildMetadata.systemLabels(system, COMPONENT)))
        .withNewSpec()
        .withPodSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of(Labels.SYSTEM, system.name()))
                .build())
        .withPolicyTypes("Ingress", "Egress")
        .endSpec()
        .build();
  }

  static NetworkPolicy forService(MicroserviceSystem system, ServiceSpec service) {
    var spec = system.getSpec();
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(
        ingress(List.of(component(system, service.name)), tcp(Ports.REMOTING, Ports.MANAGEMENT)));
    List<NetworkPolicyPeer> grpcCallers = new ArrayList<>();
    spec.services().stream()
        .filter(s -> s.callsList().contains(service.name))
        .forEach(s -> grpcCallers.add(component(system, s.name)));
    boolean routed =
        spec.gatewaySpec()
            .map(g -> GatewayDeployment.routedServices(g).contains(service.name))
            .orElse(false);
    if (routed) {
      grpcCallers.add(component(system, Labels.GATEWAY_SERVICE_NAME));
    }
    if (!grpcCallers.isEmpty()) {
      ingress.add(ingress(grpcCallers, tcp(Ports.GRPC)));
    }
    ingress.add(ingress(List.of(operatorPods()), tcp(Ports.MANAGEMENT)));

    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(
        egressTo(List.of(component(system, service.name)), tcp(Ports.REMOTING, Ports.MANAGEMENT)));
    if (!service.callsList().isEmpty()) {
      egress.add(
          egressTo(
              service.callsList().stream().map(c -> component(system, c)).toList(),
              tcp(Ports.GRPC)));
    }
    spec.kafkaSpec()
        .ifPresent(k -> egress.add(egressAnywhere(tcp(kafkaPorts(k.bootstrapServers)))));
    if (spec.persistence != null && spec.persistence.jdbc != null) {
      egress.add(egressAnywhere(tcp(databasePort(spec.persistence.jdbc.url))));
    }
    egress.add(dns());
    egress.add(apiServer(system));
    return policy(system, service.name, Labels.COMPONENT_SERVICE, ingress, egress);
  }

  static NetworkPolicy forGateway(MicroserviceSystem system, GatewaySpec gateway) {
    List<NetworkPolicyIngressRule> ingress =
        List.of(new NetworkPolicyIngressRuleBuilder().withPorts(tcp(Ports.HTTP)).build());
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    List<String> routed = GatewayDeployment.routedServices(gateway);
    if (!routed.isEmpty()) {
      egress.add(
          egressTo(routed.stream().map(s -> component(system, s)).toList(), tcp(Ports.GRPC)));
    }
    egress.add(dns());
    egress.add(apiServer(system));
    return policy(system, Labels.GATEWAY_SERVICE_NAME, Labels.COMPONENT_GATEWAY, ingress, egress);
  }

  private static NetworkPolicy policy(
      MicroserviceSystem system,
      String component,
      String kind,
      List<NetworkPolicyIngressRule> ingress,
      List<NetworkPolicyEgressRule> egress) {
    return new NetworkPolicyBuilder()
        .withMetadata(ChildMetadata.forComponent(system, component, kind))
        .withNewSpec()
        .withPodSelector(selector(system, component))
        .withPolicyTypes("Ingress", "Egress")
        .withIngress(ingress)
        .withEgress(egress)
        .endSpec()
        .build();
  }

  static List<Integer> kafkaPorts(String bootstrapServers) {
    var ports = new TreeSet<Integer>();
    for (String server : bootstrapServers.split(",")) {
      ports.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1).trim()));
    }
    return List.copyOf(ports);
  }

  static int databasePort(String jdbcUrl) {
    var matcher = JDBC_PORT.matcher(jdbcUrl);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : DEFAULT_DB_PORT;
  }

  private static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder().withPorts(port("UDP", 53), port("TCP", 53)).build();
  }

  private static NetworkPolicyEgressRule apiServer(MicroserviceSystem system) {
    List<Integer> ports =
        Optional.ofNullable(system.getSpec().networkPolicy)
            .map(NetworkPolicySpec::apiServerPortList)
            .orElse(NetworkPolicySpec.DEFAULT_API_SERVER_PORTS);
    return egressAnywhere(tcp(ports));
  }

  private static LabelSelector selector(MicroserviceSystem system, String component) {
    return new LabelSelectorBuilder()
        .withMatchLabels(Labels.selectorForService(system.name(), component))
        .build();
  }

  private static NetworkPolicyPeer component(MicroserviceSystem system, String component) {
    return new NetworkPolicyPeerBuilder().withPodSelector(selector(system, component)).build();
  }

  /**
   * The operator's pods, in whatever namespace it runs (an explicit "any namespace" selector, never
   * empty).
   */
  private static NetworkPolicyPeer operatorPods() {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .addNewMatchExpression()
        .withKey("kubernetes.io/metadata.name")
        .withOperator("Exists")
        .endMatchExpression()
        .endNamespaceSelector()
        .withNewPodSelector()
        .withMatchLabels(Map.of(Labels.NAME, Labels.OPERATOR_NAME))
        .endPodSelector()
        .build();
  }

  private static NetworkPolicyIngressRule ingress(
      List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
    return new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(ports).build();
  }

  private static NetworkPolicyEgressRule egressTo(
      List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
    return new NetworkPolicyEgressRuleBuilder().withTo(to).withPorts(ports).build();
  }

  private static NetworkPolicyEgressRule egressAnywhere(List<NetworkPolicyPort> ports) {
    return new NetworkPolicyEgressRuleBuilder().withPorts(ports).build();
  }

  private static List<NetworkPolicyPort> tcp(Integer... ports) {
    return tcp(List.of(ports));
  }

  private static List<NetworkPolicyPort> tcp(List<Integer> ports) {
    return ports.stream().map(p -> port("TCP", p)).toList();
  }

  private static NetworkPolicyPort port(String protocol, int number) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(number))
        .build();
  }
}
