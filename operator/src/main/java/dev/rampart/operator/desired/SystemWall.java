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
import java.net.URI;
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
 *       routed, the gateway (gRPC), from the operator (management, for status) and from {@code
 *       networkPolicy.allowMetricsFrom} (management, for /metrics); out to its own pods, its
 *       callees (gRPC), Kafka, the database, DNS, the API server (Akka discovery) and, with {@code
 *       spec.gateway.egress} declared, the gateway's egress port: nothing else outside the system;
 *   <li>the gateway: in from anywhere on HTTP, and on its egress port from the system's service
 *       pods only; out to the routed services (gRPC), each declared egress endpoint (its host by
 *       {@link EgressPeers}, its port), DNS and the API server.
 * </ul>
 *
 * DNS goes only to the kube-dns pods. Kafka and the database go to the namespace or address their
 * host names ({@link EgressPeers}), by their ports; a host outside the cluster is opened by port
 * only. The API server is opened at the addresses and ports it publishes ({@link
 * ApiServerEndpoints}); only while those are unknown, by {@code networkPolicy.apiServerPorts}
 * alone, so that Akka discovery keeps working.
 */
public final class SystemWall {
  static final String COMPONENT = "network-policy";

  /** app.kubernetes.io/component of the operator's pods (the chart's labels). */
  static final String OPERATOR_COMPONENT = "operator";

  private static final Pattern JDBC_PORT = Pattern.compile("^jdbc:[a-z0-9]+://[^/:?]+:(\\d+)");
  private static final Pattern JDBC_HOST = Pattern.compile("^jdbc:[a-z0-9]+://([^/:?,]+)");
  private static final int DEFAULT_DB_PORT = 5432;

  private SystemWall() {}

  public static String denyAllName(MicroserviceSystem system) {
    return Labels.resourceName(system.name(), "deny-all");
  }

  /** The wall while the API server's addresses are unknown. */
  public static List<NetworkPolicy> of(MicroserviceSystem system) {
    return of(system, ApiServerEndpoints.UNKNOWN);
  }

  public static List<NetworkPolicy> of(MicroserviceSystem system, ApiServerEndpoints apiServer) {
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(denyAll(system));
    system.getSpec().services().forEach(s -> policies.add(forService(system, s, apiServer)));
    system.getSpec().gatewaySpec().ifPresent(g -> policies.add(forGateway(system, g, apiServer)));
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

  static NetworkPolicy forService(
      MicroserviceSystem system, ServiceSpec service, ApiServerEndpoints apiServer) {
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
    var scrapers = metricsScrapers(system);
    if (!scrapers.isEmpty()) {
      ingress.add(ingress(scrapers, tcp(Ports.MANAGEMENT)));
    }

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
        .ifPresent(
            k ->
                egress.add(
                    egressToHosts(
                        system, kafkaHosts(k.bootstrapServers), kafkaPorts(k.bootstrapServers))));
    if (spec.persistence != null && spec.persistence.jdbc != null) {
      String url = spec.persistence.jdbc.url;
      egress.add(
          egressToHosts(system, databaseHost(url).stream().toList(), List.of(databasePort(url))));
    }
    // the only way out of the system: the gateway's egress port
    boolean egressDeclared = spec.gatewaySpec().map(g -> !g.egressList().isEmpty()).orElse(false);
    if (egressDeclared) {
      egress.add(
          egressTo(
              List.of(component(system, Labels.GATEWAY_SERVICE_NAME)), tcp(Ports.GATEWAY_EGRESS)));
    }
    egress.add(dns());
    egress.add(apiServer(system, apiServer));
    return policy(system, service.name, Labels.COMPONENT_SERVICE, ingress, egress);
  }

  static NetworkPolicy forGateway(
      MicroserviceSystem system, GatewaySpec gateway, ApiServerEndpoints apiServer) {
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(tcp(Ports.HTTP)).build());
    if (!gateway.egressList().isEmpty()) {
      // the egress port: only from the system's own service pods, never from outside
      ingress.add(ingress(List.of(servicePods(system)), tcp(Ports.GATEWAY_EGRESS)));
    }
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    List<String> routed = GatewayDeployment.routedServices(gateway);
    if (!routed.isEmpty()) {
      egress.add(
          egressTo(routed.stream().map(s -> component(system, s)).toList(), tcp(Ports.GRPC)));
    }
    // a remote JWKS: the issuer's host and port (an in-cluster host by its peers, else by port)
    if (gateway.auth != null && gateway.auth.jwksUri != null) {
      URI jwks = URI.create(gateway.auth.jwksUri);
      egress.add(
          egressToHosts(
              system, List.of(jwks.getHost()), List.of(jwks.getPort() > 0 ? jwks.getPort() : 443)));
    }
    // each declared external endpoint, at its host and port (one rule each: hosts x ports would
    // open every host on every port)
    gateway.egressList().stream()
        .map(e -> egressToHosts(system, List.of(e.host()), List.of(e.port())))
        .distinct()
        .forEach(egress::add);
    egress.add(dns());
    egress.add(apiServer(system, apiServer));
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

  static List<String> kafkaHosts(String bootstrapServers) {
    return java.util.Arrays.stream(bootstrapServers.split(","))
        .map(server -> server.substring(0, server.lastIndexOf(':')).trim())
        .toList();
  }

  static Optional<String> databaseHost(String jdbcUrl) {
    var matcher = JDBC_HOST.matcher(jdbcUrl);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  static int databasePort(String jdbcUrl) {
    var matcher = JDBC_PORT.matcher(jdbcUrl);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : DEFAULT_DB_PORT;
  }

  /** To the hosts' narrowest peers ({@link EgressPeers}); any address once one host is outside. */
  private static NetworkPolicyEgressRule egressToHosts(
      MicroserviceSystem system, List<String> hosts, List<Integer> ports) {
    List<Optional<NetworkPolicyPeer>> peers =
        hosts.stream()
            .map(h -> EgressPeers.forHost(h, system.getMetadata().getNamespace()))
            .toList();
    if (peers.isEmpty() || peers.stream().anyMatch(Optional::isEmpty)) {
      return egressAnywhere(tcp(ports));
    }
    return egressTo(peers.stream().map(Optional::get).distinct().toList(), tcp(ports));
  }

  /** The cluster DNS: kube-dns pods (CoreDNS keeps the label) in kube-system. */
  private static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder()
        .withTo(
            new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .withMatchLabels(Map.of(EgressPeers.NAMESPACE_NAME_LABEL, "kube-system"))
                .endNamespaceSelector()
                .withNewPodSelector()
                .withMatchLabels(Map.of("k8s-app", "kube-dns"))
                .endPodSelector()
                .build())
        .withPorts(port("UDP", 53), port("TCP", 53))
        .build();
  }

  /** allowMetricsFrom: a peer without a namespace selector means the system's namespace. */
  private static List<NetworkPolicyPeer> metricsScrapers(MicroserviceSystem system) {
    return Optional.ofNullable(system.getSpec().networkPolicy)
        .map(NetworkPolicySpec::allowMetricsFromList)
        .orElse(List.of())
        .stream()
        .map(
            s ->
                new NetworkPolicyPeerBuilder()
                    .withNamespaceSelector(s.namespaceSelector)
                    .withPodSelector(s.podSelector)
                    .build())
        .toList();
  }

  private static NetworkPolicyEgressRule apiServer(
      MicroserviceSystem system, ApiServerEndpoints endpoints) {
    if (endpoints.known()) {
      return egressTo(
          endpoints.cidrs().stream()
              .map(
                  cidr ->
                      new NetworkPolicyPeerBuilder()
                          .withNewIpBlock()
                          .withCidr(cidr)
                          .endIpBlock()
                          .build())
              .toList(),
          tcp(endpoints.ports()));
    }
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

  /** Every service pod of the system (not the gateway's). */
  private static NetworkPolicyPeer servicePods(MicroserviceSystem system) {
    return new NetworkPolicyPeerBuilder()
        .withNewPodSelector()
        .withMatchLabels(
            Map.of(Labels.SYSTEM, system.name(), Labels.COMPONENT, Labels.COMPONENT_SERVICE))
        .endPodSelector()
        .build();
  }

  private static NetworkPolicyPeer component(MicroserviceSystem system, String component) {
    return new NetworkPolicyPeerBuilder().withPodSelector(selector(system, component)).build();
  }

  /**
   * The operator's pods, in whatever namespace it runs (an explicit "any namespace" selector, never
   * empty), by labels no pod of a system can carry: the chart's name and component, and no {@code
   * rampart.dev/system} (which the operator puts on every pod it creates, over any template label).
   * A service named rampart-operator has the name but not the component, and has the system label.
   */
  private static NetworkPolicyPeer operatorPods() {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .addNewMatchExpression()
        .withKey(EgressPeers.NAMESPACE_NAME_LABEL)
        .withOperator("Exists")
        .endMatchExpression()
        .endNamespaceSelector()
        .withNewPodSelector()
        .withMatchLabels(
            Map.of(Labels.NAME, Labels.OPERATOR_NAME, Labels.COMPONENT, OPERATOR_COMPONENT))
        .addNewMatchExpression()
        .withKey(Labels.SYSTEM)
        .withOperator("DoesNotExist")
        .endMatchExpression()
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
