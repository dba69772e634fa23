package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.GatewayAuth;
import dev.rampart.operator.api.v1alpha1.GatewayEgress;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.SecretKeyRef;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * spec.gateway.egress across the children: the gateway's env, files, ports and Service, every
 * service's egress URLs, the referenced Secrets, and the wall (services out only through the
 * gateway's egress port, the gateway out to each endpoint).
 */
class GatewayEgressTest {
  /** Known, so that nothing but an endpoint outside the cluster opens a port to any address. */
  private static final ApiServerEndpoints API_SERVER =
      new ApiServerEndpoints(List.of("172.18.0.2"), List.of(6443));

  private final MicroserviceSystem plain = Samples.shop("ns");
  private final MicroserviceSystem shop = withEgress(Samples.shop("ns"));

  static MicroserviceSystem withEgress(MicroserviceSystem system) {
    var carrier = new GatewayEgress("carrier", "https://api.carrier.example/v2");
    carrier.caSecretRef = new SecretKeyRef("carrier-tls", "ca.pem");
    carrier.credentialsSecretRef = new SecretKeyRef("carrier-api", "header");
    var maps = new GatewayEgress("geo-maps", "http://maps.geo:8088");
    var fixed = new GatewayEgress("fixed", "http://10.1.2.3:9000/base");
    system.getSpec().gateway.egress = List.of(carrier, maps, fixed);
    return system;
  }

  @Test
  void theGatewayGetsTheEndpointsTheirFilesAndTheEgressPort() {
    var pod = GatewayDeployment.of(shop, shop.getSpec().gateway, "h").getSpec().getTemplate();
    var container = pod.getSpec().getContainers().get(0);
    assertThat(env(container.getEnv()))
        .containsEntry(
            "RAMPART_GATEWAY_EGRESS",
            "carrier=https://api.carrier.example/v2,geo-maps=http://maps.geo:8088,"
                + "fixed=http://10.1.2.3:9000/base")
        .containsEntry("RAMPART_GATEWAY_EGRESS_DIR", "/etc/rampart/egress");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "egress:8081");
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("egress"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/rampart/egress");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getSubPath()).isNull();
            });
    var volume =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("egress"))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getProjected().getSources())
        .extracting(
            s ->
                s.getSecret().getName()
                    + ":"
                    + s.getSecret().getItems().get(0).getKey()
                    + "->"
                    + s.getSecret().getItems().get(0).getPath())
        .containsExactly(
            "carrier-tls:ca.pem->carrier/ca.crt", "carrier-api:header->carrier/authorization");
    // the JWKS volume is still there, untouched
    assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).contains("jwks");
  }

  @Test
  void withoutEgressTheGatewayAndItsServiceAreAsBefore() {
    var gateway = plain.getSpec().gateway;
    var pod = GatewayDeployment.of(plain, gateway, "h").getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(env(container.getEnv())).doesNotContainKeys("RAMPART_GATEWAY_EGRESS");
    assertThat(container.getPorts()).hasSize(1);
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).doesNotContain("egress");
    assertThat(ClusterIpServices.gateway(plain, gateway).getSpec().getPorts()).hasSize(1);
    // endpoints without Secrets: the port and env, but no volume
    plain.getSpec().gateway.egress = List.of(new GatewayEgress("carrier", "http://c.example"));
    pod = GatewayDeployment.of(plain, gateway, "h").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).doesNotContain("egress");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getName())
        .doesNotContain("egress");
  }

  @Test
  void theGatewayServiceExposesTheEgressPortBesideTheRoutedOne() {
    var ports = ClusterIpServices.gateway(shop, shop.getSpec().gateway).getSpec().getPorts();
    assertThat(ports)
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("http:80->http", "egress:8081->egress");
    // the route's backends name the public port only
    assertThat(GatewayRoutes.httpRoute(shop, shop.getSpec().gateway).toString())
        .doesNotContain("8081");
    assertThat(GatewayRoutes.ingress(shop, shop.getSpec().gateway).toString())
        .doesNotContain("8081");
  }

  @Test
  void everyServiceGetsEveryEgressUrlThroughTheGateway() {
    for (var service : shop.getSpec().services()) {
      assertThat(env(ServiceDeployment.env(shop, service)))
          .as(service.name)
          .containsEntry("RAMPART_EGRESS_CARRIER_URL", "http://shop-gateway:8081/egress/carrier")
          .containsEntry("RAMPART_EGRESS_GEO_MAPS_URL", "http://shop-gateway:8081/egress/geo-maps")
          .containsEntry("RAMPART_EGRESS_FIXED_URL", "http://shop-gateway:8081/egress/fixed");
    }
    for (var service : plain.getSpec().services()) {
      assertThat(env(ServiceDeployment.env(plain, service)).keySet())
          .noneMatch(k -> k.startsWith("RAMPART_EGRESS_"));
    }
  }

  @Test
  void partnerAudienceAndScopeReachTheGatewayOnlyWhenSet() {
    assertThat(env(GatewayDeployment.env(plain, plain.getSpec().gateway)))
        .doesNotContainKeys("RAMPART_JWT_PARTNER_AUDIENCE", "RAMPART_JWT_PARTNER_SCOPE");
    GatewayAuth auth = plain.getSpec().gateway.auth;
    auth.partnerAudience = "shop-partners";
    auth.partnerScope = "parcels:report";
    assertThat(env(GatewayDeployment.env(plain, plain.getSpec().gateway)))
        .containsEntry("RAMPART_JWT_PARTNER_AUDIENCE", "shop-partners")
        .containsEntry("RAMPART_JWT_PARTNER_SCOPE", "parcels:report");
  }

  @Test
  void theEndpointsSecretsAreTheGatewaysReferences() {
    assertThat(ConfigReferences.ofGateway(shop))
        .extracting(Ref::name, Ref::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "carrier-api", "spec.gateway.egress[carrier].credentialsSecretRef"),
            org.assertj.core.groups.Tuple.tuple(
                "carrier-tls", "spec.gateway.egress[carrier].caSecretRef"),
            org.assertj.core.groups.Tuple.tuple("shop-jwks", "spec.gateway.auth.jwksSecretRef"));
    assertThat(ConfigReferences.ofGateway(shop)).allMatch(Ref::ofGateway);
    // one Secret for both keys, or shared with the JWKS: one reference, no failure
    var carrier = shop.getSpec().gateway.egress.get(0);
    carrier.caSecretRef = new SecretKeyRef("shop-jwks", "ca.crt");
    carrier.credentialsSecretRef = new SecretKeyRef("shop-jwks", "authorization");
    assertThat(ConfigReferences.ofGateway(shop)).extracting(Ref::name).containsExactly("shop-jwks");
  }

  @Test
  void servicesLeaveTheSystemOnlyThroughTheGatewaysEgressPort() {
    for (var service : shop.getSpec().services()) {
      NetworkPolicy policy = policy(shop, "shop-" + service.name);
      List<NetworkPolicyEgressRule> toEgressPort = onPort(policy.getSpec().getEgress(), 8081);
      assertThat(toEgressPort)
          .singleElement()
          .satisfies(
              rule -> {
                assertThat(rule.getPorts()).hasSize(1);
                assertThat(rule.getTo())
                    .singleElement()
                    .satisfies(
                        peer -> {
                          assertThat(peer.getNamespaceSelector()).isNull();
                          assertThat(peer.getIpBlock()).isNull();
                          assertThat(peer.getPodSelector().getMatchLabels())
                              .isEqualTo(Labels.selectorForService("shop", "gateway"));
                        });
              });
      // never the endpoints themselves, and nothing to any address
      assertThat(policy.getSpec().getEgress()).allSatisfy(r -> assertThat(r.getTo()).isNotEmpty());
      assertThat(onPort(policy.getSpec().getEgress(), 443)).isEmpty();
      assertThat(onPort(policy.getSpec().getEgress(), 8088)).isEmpty();
      assertThat(onPort(policy.getSpec().getEgress(), 9000)).isEmpty();
    }
    assertThat(onPort(policy(plain, "shop-order").getSpec().getEgress(), 8081)).isEmpty();
  }

  @Test
  void theGatewayReachesEachEndpointAtItsHostAndPortAndTakesEgressOnlyFromServicePods() {
    NetworkPolicy gateway = policy(shop, "shop-gateway");
    var egress = gateway.getSpec().getEgress();
    // an outside name: by port only (443 for https), the one rule to any address
    assertThat(egress)
        .filteredOn(r -> r.getTo() == null || r.getTo().isEmpty())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(443));
    // a Service name: its namespace
    assertThat(onPort(egress, 8088))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getTo())
                    .extracting(p -> p.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.of("kubernetes.io/metadata.name", "geo")));
    // an address: itself
    assertThat(onPort(egress, 9000))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getTo())
                    .extracting(p -> p.getIpBlock().getCidr())
                    .containsExactly("10.1.2.3/32"));
    List<NetworkPolicyIngressRule> onEgressPort =
        gateway.getSpec().getIngress().stream()
            .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8081))
            .toList();
    assertThat(onEgressPort)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getPorts()).hasSize(1);
              assertThat(r.getFrom())
                  .singleElement()
                  .satisfies(
                      peer -> {
                        assertThat(peer.getNamespaceSelector()).isNull();
                        assertThat(peer.getPodSelector().getMatchLabels())
                            .isEqualTo(
                                Map.of(
                                    "rampart.dev/system", "shop",
                                    "app.kubernetes.io/component", "service"));
                      });
            });
    // the public HTTP rule stays open to all, and on its port only
    assertThat(gateway.getSpec().getIngress())
        .filteredOn(r -> r.getFrom() == null || r.getFrom().isEmpty())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(8080));
    NetworkPolicy before = policy(plain, "shop-gateway");
    assertThat(before.getSpec().getIngress()).hasSize(1);
  }

  private static List<NetworkPolicyEgressRule> onPort(
      List<NetworkPolicyEgressRule> rules, int port) {
    return rules.stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
        .toList();
  }

  private static NetworkPolicy policy(MicroserviceSystem system, String name) {
    return SystemWall.of(system, API_SERVER).stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> env(List<EnvVar> env) {
    Map<String, String> byName = new java.util.LinkedHashMap<>();
    env.forEach(e -> byName.put(e.getName(), e.getValue()));
    return byName;
  }
}
