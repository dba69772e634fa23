package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.GatewayEgress;
import dev.rampart.operator.api.v1alpha1.SecretKeyRef;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * spec.gateway.egress through the operator onto a real kube-apiserver: the API server accepts the
 * gateway's projected volume, egress port and Service port, every service gets its URL, the wall
 * opens what the egress needs; a missing endpoint Secret is named in GatewayReady, and the endpoint
 * Secrets roll the gateway like its JWKS does (config hash).
 */
class GatewayEgressOnApiServerTest {
  @Test
  void egressIsAppliedAndItsSecretsAreWatchedReferences() {
    var plane = OperatorControlPlane.shared();
    KubernetesClient client = plane.client();
    try (var operator = RunningOperator.start(plane)) {
      String ns = SampleSystem.apply(client, "egress");
      SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("carrier-api")
                  .endMetadata()
                  .addToStringData("authorization", "Bearer partner-secret")
                  .build())
          .create();
      String hashBefore = hash(client, ns, "shop-gateway");
      String orderHashBefore = hash(client, ns, "shop-order");
      SampleSystem.edit(
          client,
          ns,
          s -> {
            var carrier = new GatewayEgress("carrier", "https://api.carrier.example:8443/v2");
            carrier.caSecretRef = new SecretKeyRef("carrier-ca", "ca.crt");
            carrier.credentialsSecretRef = new SecretKeyRef("carrier-api", "authorization");
            s.getSpec().gateway.egress = List.of(carrier);
          });

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                var gateway = deployment(client, ns, "shop-gateway");
                var container = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
                assertThat(env(container.getEnv()))
                    .containsEntry(
                        "RAMPART_GATEWAY_EGRESS", "carrier=https://api.carrier.example:8443/v2");
                assertThat(container.getPorts())
                    .extracting(p -> p.getName() + ":" + p.getContainerPort())
                    .contains("egress:8081");
                assertThat(gateway.getSpec().getTemplate().getSpec().getVolumes())
                    .filteredOn(v -> v.getName().equals("egress"))
                    .singleElement()
                    .satisfies(
                        v ->
                            assertThat(v.getProjected().getSources())
                                .extracting(
                                    p ->
                                        p.getSecret().getName()
                                            + "->"
                                            + p.getSecret().getItems().get(0).getPath())
                                .containsExactly(
                                    "carrier-ca->carrier/ca.crt",
                                    "carrier-api->carrier/authorization"));
                for (String service : List.of("order", "user", "shipping")) {
                  var serviceEnv =
                      deployment(client, ns, "shop-" + service)
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getEnv();
                  assertThat(env(serviceEnv))
                      .as(service)
                      .containsEntry(
                          "RAMPART_EGRESS_CARRIER_URL", "http://shop-gateway:8081/egress/carrier");
                }
                assertThat(
                        client
                            .services()
                            .inNamespace(ns)
                            .withName("shop-gateway")
                            .get()
                            .getSpec()
                            .getPorts())
                    .extracting(p -> p.getName() + ":" + p.getPort())
                    .containsExactly("http:80", "egress:8081");
                NetworkPolicy shipping = policy(client, ns, "shop-shipping");
                assertThat(shipping.getSpec().getEgress())
                    .anySatisfy(
                        r -> {
                          assertThat(r.getPorts())
                              .extracting(p -> p.getPort().getIntVal())
                              .containsExactly(8081);
                          assertThat(r.getTo().get(0).getPodSelector().getMatchLabels())
                              .isEqualTo(Labels.selectorForService("shop", "gateway"));
                        });
                NetworkPolicy gatewayPolicy = policy(client, ns, "shop-gateway");
                assertThat(gatewayPolicy.getSpec().getIngress())
                    .anySatisfy(
                        r -> {
                          assertThat(r.getPorts())
                              .extracting(p -> p.getPort().getIntVal())
                              .containsExactly(8081);
                          assertThat(r.getFrom()).hasSize(1);
                        });
                assertThat(gatewayPolicy.getSpec().getEgress())
                    .anySatisfy(
                        r ->
                            assertThat(r.getPorts())
                                .extracting(p -> p.getPort().getIntVal())
                                .containsExactly(8443));
                // the route never sends the public to the egress port
                var route =
                    client
                        .resources(HTTPRoute.class)
                        .inNamespace(ns)
                        .withName("shop-gateway")
                        .get();
                assertThat(route.getSpec().getRules())
                    .flatExtracting(r -> r.getBackendRefs())
                    .extracting(b -> b.getPort())
                    .containsOnly(80);
              });
      // changing the services' env rolls them once (their template changes); that is expected
      assertThat(hash(client, ns, "shop-order")).isEqualTo(orderHashBefore);

      // the CA Secret is missing: named in GatewayReady, not a failure
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                var gatewayReady =
                    condition(SampleSystem.get(client, ns).getStatus().conditions, "GatewayReady");
                assertThat(gatewayReady.getStatus()).isEqualTo("False");
                assertThat(gatewayReady.getReason()).isEqualTo("MissingConfiguration");
                assertThat(gatewayReady.getMessage())
                    .contains(
                        "Secret carrier-ca (referenced by spec.gateway.egress[carrier].caSecretRef)"
                            + " does not exist in namespace "
                            + ns);
              });
      String withMissingCa = hash(client, ns, "shop-gateway");
      assertThat(withMissingCa).isNotEqualTo(hashBefore);

      client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("carrier-ca")
                  .endMetadata()
                  .addToStringData("ca.crt", "-----BEGIN CERTIFICATE-----\n")
                  .build())
          .create();
      await()
          .atMost(ConfigHashTest.WATCHED)
          .untilAsserted(
              () -> {
                assertThat(hash(client, ns, "shop-gateway")).isNotEqualTo(withMissingCa);
                assertThat(
                        condition(
                                SampleSystem.get(client, ns).getStatus().conditions, "GatewayReady")
                            .getMessage())
                    .doesNotContain("carrier-ca");
              });
      // a rotated partner credential rolls the gateway, not the services
      String beforeRotation = hash(client, ns, "shop-gateway");
      client
          .secrets()
          .inNamespace(ns)
          .withName("carrier-api")
          .edit(
              s -> {
                s.getData().put("authorization", "QmVhcmVyIHJvdGF0ZWQ=");
                return s;
              });
      await()
          .atMost(ConfigHashTest.WATCHED)
          .until(() -> !hash(client, ns, "shop-gateway").equals(beforeRotation));
      assertThat(hash(client, ns, "shop-order")).isEqualTo(orderHashBefore);
    }
  }

  private static Deployment deployment(KubernetesClient client, String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static NetworkPolicy policy(KubernetesClient client, String ns, String name) {
    return client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
  }

  private static String hash(KubernetesClient client, String ns, String name) {
    return deployment(client, ns, name)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(Labels.CONFIG_HASH_ANNOTATION);
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static Map<String, String> env(List<EnvVar> env) {
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
  }
}
