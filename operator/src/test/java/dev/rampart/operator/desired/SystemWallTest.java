package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.NetworkPolicySpec;
import dev.rampart.operator.api.v1alpha1.PeerSelector;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemWallTest {
  @Test
  void onePolicyToDenyAllAndOnePerComponent() {
    var shop = Samples.shop("ns");
    assertThat(SystemWall.of(shop))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(
            "shop-deny-all", "shop-order", "shop-user", "shop-shipping", "shop-gateway");
  }

  @Test
  void withoutGatewayNoGatewayPolicyAndNoGatewayPeer() {
    var shop = Samples.shop("ns");
    shop.getSpec().gateway = null;
    var policies = SystemWall.of(shop);
    assertThat(policies).extracting(p -> p.getMetadata().getName()).doesNotContain("shop-gateway");
    NetworkPolicy order = policies.get(1);
    // nobody calls order and no gateway routes to it: no gRPC ingress at all
    assertThat(order.getSpec().getIngress())
        .noneMatch(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8101));
  }

  @Test
  void egressPortsComeFromTheSpec() {
    assertThat(SystemWall.kafkaPorts("a:9092,b:9093,c:9092")).containsExactly(9092, 9093);
    assertThat(SystemWall.databasePort("jdbc:postgresql://db.x:6432/shop")).isEqualTo(6432);
    assertThat(SystemWall.databasePort("jdbc:postgresql://db.x/shop")).isEqualTo(5432);
  }

  @Test
  void noEmptySelectorsThatServerSideApplyWouldSeeAsDrift() {
    SystemWall.of(Samples.shop("ns"))
        .forEach(
            p -> {
              assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNotEmpty();
              p.getSpec()
                  .getIngress()
                  .forEach(
                      r ->
                          r.getFrom()
                              .forEach(
                                  peer -> {
                                    if (peer.getNamespaceSelector() != null) {
                                      assertThat(peer.getNamespaceSelector().getMatchExpressions())
                                          .isNotEmpty();
                                    }
                                  }));
            });
  }

  @Test
  void dnsGoesOnlyToTheKubeDnsPods() {
    for (NetworkPolicy policy : componentPolicies(Samples.shop("ns"))) {
      var dns = egressOnPort(policy, 53);
      assertThat(dns).as(policy.getMetadata().getName()).hasSize(1);
      NetworkPolicyPeer to = dns.get(0).getTo().get(0);
      assertThat(dns.get(0).getTo()).hasSize(1);
      assertThat(to.getNamespaceSelector().getMatchLabels())
          .isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system"));
      assertThat(to.getPodSelector().getMatchLabels()).isEqualTo(Map.of("k8s-app", "kube-dns"));
    }
  }

  @Test
  void kafkaAndTheDatabaseGoToWhatTheirHostsName() {
    var shop = Samples.shop("ns"); // my-cluster-kafka-bootstrap.kafka:9092, shop-db.shop:5432
    var order = policy(shop, "shop-order");
    assertThat(egressOnPort(order, 9092).get(0).getTo())
        .extracting(p -> p.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.of("kubernetes.io/metadata.name", "kafka"));
    assertThat(egressOnPort(order, 5432).get(0).getTo())
        .extracting(p -> p.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.of("kubernetes.io/metadata.name", "shop"));

    shop.getSpec().kafka.bootstrapServers = "10.1.2.3:9092,kafka-0:9093";
    shop.getSpec().persistence.jdbc.url = "jdbc:postgresql://db.example.com:6432/shop";
    order = policy(shop, "shop-order");
    assertThat(egressOnPort(order, 9092).get(0).getTo())
        .extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
        .containsExactly("10.1.2.3/32", null);
    assertThat(
            egressOnPort(order, 9093).get(0).getTo().get(1).getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "ns"));
    // a host outside the cluster: a NetworkPolicy cannot name it, so the port is open to any
    // address
    assertThat(egressOnPort(order, 6432).get(0).getTo()).isNullOrEmpty();
  }

  @Test
  void theApiServerIsOpenAtTheAddressesAndPortsItPublishesAndNothingToAnyAddress() {
    var api = new ApiServerEndpoints(List.of("172.18.0.2", "fd00::2"), List.of(6443));
    for (NetworkPolicy policy :
        SystemWall.of(Samples.shop("ns"), api).stream()
            .filter(p -> !p.getMetadata().getName().endsWith("-deny-all"))
            .toList()) {
      assertThat(policy.getSpec().getEgress())
          .as(policy.getMetadata().getName())
          .allSatisfy(rule -> assertThat(rule.getTo()).isNotEmpty());
      var toApiServer = egressOnPort(policy, 6443);
      assertThat(toApiServer).as(policy.getMetadata().getName()).hasSize(1);
      assertThat(toApiServer.get(0).getTo())
          .extracting(p -> p.getIpBlock().getCidr())
          .containsExactly("172.18.0.2/32", "fd00::2/128");
      assertThat(toApiServer.get(0).getPorts())
          .extracting(p -> p.getPort().getIntVal())
          .containsExactly(6443);
      assertThat(egressOnPort(policy, 443)).isEmpty();
    }
  }

  void aRemoteJwksOpensTheGatewaysEgressToItsHostAndPortOnly() {
    var shop = Samples.shop("ns");
    assertThat(egressOnPort(policy(shop, "shop-gateway"), 8443)).isEmpty();
    shop.getSpec().gateway.auth.jwksSecretRef = null;
    shop.getSpec().gateway.auth.jwksUri = "https://idp.idp-system:8443/jwks.json";
    assertThat(egressOnPort(policy(shop, "shop-gateway"), 8443).get(0).getTo())
        .extracting(p -> p.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.of("kubernetes.io/metadata.name", "idp-system"));
    shop.getSpec().gateway.auth.jwksUri = "https://id.example.com/jwks.json";
    assertThat(egressOnPort(policy(shop, "shop-gateway"), 443)).hasSize(2); // and the API server's
    assertThat(policy(shop, "shop-order").getSpec().getEgress())
        .noneMatch(rule -> rule.getTo() == null && rule.toString().contains("8443"));
  }

  @Test
  void whileTheApiServerIsUnknownOnlyItsPortsAreOpenToAnyAddressInTheSample() {
    for (NetworkPolicy policy : componentPolicies(Samples.shop("ns"))) {
      assertThat(policy.getSpec().getEgress())
          .filteredOn(rule -> rule.getTo() == null || rule.getTo().isEmpty())
          .flatExtracting(NetworkPolicyEgressRule::getPorts)
          .extracting(p -> p.getPort().getIntVal())
          .as(policy.getMetadata().getName())
          .containsExactlyInAnyOrder(443, 6443);
    }
  }

  @Test
  void theManagementPortAdmitsTheOperatorButNoServiceNamedLikeIt() {
    var order = policy(Samples.shop("ns"), "shop-order");
    List<NetworkPolicyPeer> management = ingressPeersOnPort(order, 8558);
    Map<String, String> operatorPod =
        Map.of(
            "app.kubernetes.io/name", "rampart-operator",
            "app.kubernetes.io/instance", "rampart",
            "app.kubernetes.io/component", "operator");
    Map<String, String> impostor = Labels.forService("shop", "rampart-operator", "service");
    assertThat(management).anyMatch(peer -> matches(peer.getPodSelector(), operatorPod));
    assertThat(management)
        .filteredOn(peer -> peer.getNamespaceSelector() != null)
        .noneMatch(peer -> matches(peer.getPodSelector(), impostor));
  }

  @Test
  void allowMetricsFromOpensTheManagementPortToThosePeersOnly() {
    var shop = Samples.shop("ns");
    int before = ingressPeersOnPort(policy(shop, "shop-user"), 8558).size();
    var prometheus = new PeerSelector();
    prometheus.namespaceSelector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring"))
            .build();
    prometheus.podSelector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app.kubernetes.io/name", "prometheus"))
            .build();
    shop.getSpec().networkPolicy = new NetworkPolicySpec();
    shop.getSpec().networkPolicy.allowMetricsFrom = List.of(prometheus);
    for (NetworkPolicy policy : List.of(policy(shop, "shop-user"), policy(shop, "shop-order"))) {
      var peers = ingressPeersOnPort(policy, 8558);
      assertThat(peers).hasSize(before + 1);
      assertThat(peers)
          .anyMatch(
              p ->
                  java.util.Objects.equals(p.getNamespaceSelector(), prometheus.namespaceSelector)
                      && java.util.Objects.equals(p.getPodSelector(), prometheus.podSelector));
    }
  }

  private static List<NetworkPolicy> componentPolicies(
      dev.rampart.operator.api.v1alpha1.MicroserviceSystem system) {
    return SystemWall.of(system).stream()
        .filter(p -> !p.getMetadata().getName().endsWith("-deny-all"))
        .toList();
  }

  private static NetworkPolicy policy(
      dev.rampart.operator.api.v1alpha1.MicroserviceSystem system, String name) {
    return SystemWall.of(system).stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<NetworkPolicyEgressRule> egressOnPort(NetworkPolicy policy, int port) {
    return policy.getSpec().getEgress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
        .toList();
  }

  private static List<NetworkPolicyPeer> ingressPeersOnPort(NetworkPolicy policy, int port) {
    return policy.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
        .flatMap(r -> r.getFrom().stream())
        .toList();
  }

  /** Kubernetes' label-selector semantics, for the operators the wall uses. */
  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    boolean byLabels =
        selector.getMatchLabels() == null
            || selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    return byLabels
        && (selector.getMatchExpressions() == null
            || selector.getMatchExpressions().stream()
                .allMatch(
                    e ->
                        switch (e.getOperator()) {
                          case "Exists" -> labels.containsKey(e.getKey());
                          case "DoesNotExist" -> !labels.containsKey(e.getKey());
                          case "In" -> e.getValues().contains(labels.get(e.getKey()));
                          case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                          default -> throw new IllegalArgumentException(e.getOperator());
                        }));
  }
}
