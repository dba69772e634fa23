package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sample as the kind e2e applies it, on a one-broker Kafka and with this run's images. */
class KindSampleTest {
  private static final KindShop.Settings SETTINGS =
      new KindShop.Settings(
          Path.of("unused"),
          "rampart-kafka-kafka-bootstrap.kafka:9092",
          "rampart-kafka",
          "jdbc:postgresql://postgres.database:5432/shop",
          "rampart",
          "rampart",
          "kind-20261202");

  @Test
  @SuppressWarnings("unchecked")
  void everyTopicHasOneReplicaAndNeedsOneInSyncReplicaAndEveryImageIsThisRuns() {
    var system = KindShop.kindSample(SETTINGS);
    Map<String, Object> spec = (Map<String, Object>) system.getAdditionalProperties().get("spec");
    List<Map<String, Object>> topics =
        (List<Map<String, Object>>) ((Map<String, Object>) spec.get("kafka")).get("topics");
    assertThat(topics)
        .isNotEmpty()
        .allSatisfy(
            topic -> {
              assertThat(topic.get("replicas")).isEqualTo(1);
              var config = (Map<String, Object>) topic.get("config");
              if (config != null && config.containsKey("min.insync.replicas")) {
                // with acks=all, 2 on one broker would fail every send with NOT_ENOUGH_REPLICAS
                assertThat(config.get("min.insync.replicas")).isEqualTo("1");
              }
            });
    assertThat(topics)
        .anySatisfy(
            t ->
                assertThat((Map<String, Object>) t.get("config"))
                    .containsKey("min.insync.replicas"));
    Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
    assertThat(gateway).doesNotContainKey("tls").containsKey("hostnames");
    assertThat((String) gateway.get("image")).endsWith(":kind-20261202");
    assertThat((List<Map<String, Object>>) spec.get("services"))
        .allSatisfy(s -> assertThat((String) s.get("image")).endsWith(":kind-20261202"));
    assertThat(system.getMetadata().getNamespace()).isEqualTo(ShopCluster.NAMESPACE);
  }

  /**
   * The carrier is the simulator in its own namespace, declared as the egress without credentials
   * (no such Secret on kind); its webhooks go to the gateway's in-cluster Service with a partner
   * token of this run's issuer, from a Secret.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theCarrierEgressIsTheSimulatorOutsideTheShopWhoseWebhooksEnterThroughTheGateway() {
    var system = KindShop.kindSample(SETTINGS);
    Map<String, Object> spec = (Map<String, Object>) system.getAdditionalProperties().get("spec");
    Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
    assertThat((List<Map<String, Object>>) gateway.get("egress"))
        .containsExactly(
            Map.of("name", "carrier", "baseUrl", "http://carrier-simulator.carrier.svc:8480"));

    LocalJwtIssuer issuer = new LocalJwtIssuer();
    List<HasMetadata> carrier = KindShop.carrierManifests(SETTINGS, system, issuer);
    assertThat(carrier)
        .extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .containsExactly(
            "Namespace/carrier",
            "Secret/carrier-webhook",
            "Deployment/carrier-simulator",
            "Service/carrier-simulator");
    assertThat(carrier.subList(1, 4))
        .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("carrier"));
    Secret secret = (Secret) carrier.get(1);
    Map<String, Object> claims = claims(secret.getStringData().get("token"));
    assertThat(claims)
        .containsEntry("iss", LocalJwtIssuer.ISSUER)
        .containsEntry("aud", LocalJwtIssuer.PARTNER_AUDIENCE)
        .containsEntry("scope", LocalJwtIssuer.PARTNER_SCOPE);

    Deployment deployment = (Deployment) carrier.get(2);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/rampart/carrier-simulator:kind-20261202");
    Map<String, EnvVar> env =
        container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("CARRIER_HOST").getValue()).isEqualTo("0.0.0.0");
    assertThat(env.get("CARRIER_PORT").getValue()).isEqualTo("8480");
    // the gateway's Service (spec.gateway.servicePort, 80 when absent) and its public routes
    assertThat(env.get("CARRIER_WEBHOOK_BASE").getValue())
        .isEqualTo("http://shop-gateway.shop.svc:80");
    assertThat((List<Map<String, Object>>) gateway.get("routes"))
        .anySatisfy(r -> assertThat(r).containsEntry("pathPrefix", "/api/carrier"));
    var tokenRef = env.get("CARRIER_WEBHOOK_TOKEN").getValueFrom().getSecretKeyRef();
    assertThat(tokenRef.getName()).isEqualTo(secret.getMetadata().getName());
    assertThat(secret.getStringData()).containsKey(tokenRef.getKey());

    var service = (io.fabric8.kubernetes.api.model.Service) carrier.get(3);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8480);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(8480);
            });
  }

  private static Map<String, Object> claims(String jwt) {
    try {
      return new ObjectMapper()
          .readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), Map.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
