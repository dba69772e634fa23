package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A changed Secret the pods read changes the config-hash on their pod template, which rolls them.
 * Referenced Secrets are watched, so this happens within seconds, well before the operator's 30 s
 * status poll: the JDBC credentials roll the services that read them, the JWKS rolls the gateway.
 */
@Tag("slow")
class ConfigHashTest {
  /** Far below the 30 s status poll: only the Secret informer can be this fast. */
  static final Duration WATCHED = Duration.ofSeconds(10);

  @Test
  void changedSecretRollsThePods() {
    var plane = OperatorControlPlane.shared();
    var client = plane.client();
    try (var operator = RunningOperator.start(plane)) {
      String ns = SampleSystem.apply(client, "config-hash");
      SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
      String orderBefore = hash(client, ns, "shop-order");
      String gatewayBefore = hash(client, ns, "shop-gateway");
      long gatewayGeneration = generation(client, ns, "shop-gateway");

      long rotated = System.nanoTime();
      editSecret(client, ns, SampleSystem.JWKS_SECRET, "jwks.json", "eyJrZXlzIjpbXX0=");
      await()
          .atMost(WATCHED)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !hash(client, ns, "shop-gateway").equals(gatewayBefore));
      System.out.printf(
          "JWKS Secret changed -> gateway config-hash changed in %d ms%n",
          (System.nanoTime() - rotated) / 1_000_000);
      // a new pod template generation: the gateway pods roll onto the new keys
      assertThat(generation(client, ns, "shop-gateway")).isGreaterThan(gatewayGeneration);
      // the services do not read the JWKS
      assertThat(hash(client, ns, "shop-order")).isEqualTo(orderBefore);

      String gatewayAfterRotation = hash(client, ns, "shop-gateway");
      long changed = System.nanoTime();
      editSecret(client, ns, "shop-db", "password", "bmV3LXNlY3JldA==");
      await()
          .atMost(WATCHED)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !hash(client, ns, "shop-order").equals(orderBefore));
      System.out.printf(
          "DB Secret changed -> order config-hash changed in %d ms%n",
          (System.nanoTime() - changed) / 1_000_000);
      // the gateway does not read the JDBC credentials
      assertThat(hash(client, ns, "shop-gateway")).isEqualTo(gatewayAfterRotation);
    }
  }

  private static void editSecret(
      KubernetesClient client, String ns, String name, String key, String base64) {
    client
        .secrets()
        .inNamespace(ns)
        .withName(name)
        .edit(
            s -> {
              s.getData().put(key, base64);
              return s;
            });
  }

  private static long generation(KubernetesClient client, String ns, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getGeneration();
  }

  private static String hash(KubernetesClient client, String ns, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(Labels.CONFIG_HASH_ANNOTATION);
  }
}
