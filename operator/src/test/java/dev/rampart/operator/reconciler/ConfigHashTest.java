package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A changed Secret the pods read (the JDBC credentials) changes the config-hash on the pod
 * template, which rolls the pods. Secrets are not watched; the operator looks again at least every
 * 30 s (its status poll). The gateway's JWKS Secret is the exception: the gateway re-reads the
 * mounted file, so a key rotation rolls nothing.
 */
@Tag("slow")
class ConfigHashTest {
  static final String HASH_OF_NOTHING = "e3b0c44298fc1c14";

  @Test
  void changedSecretRollsThePods() {
    var plane = OperatorControlPlane.shared();
    var client = plane.client();
    try (var operator = RunningOperator.start(plane)) {
      String ns = SampleSystem.apply(client, "config-hash");
      SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
      String before = hash(client, ns, "shop-order");
      // the gateway's pods read no hashed config (only the JWKS, see below): their hash is that of
      // no data, the first 16 hex digits of SHA-256 of nothing
      assertThat(hash(client, ns, "shop-gateway")).isEqualTo(HASH_OF_NOTHING);
      long gatewayGeneration = generation(client, ns, "shop-gateway");
      // a key rotation first: the gateway re-reads its mounted JWKS file, so it must not roll for
      // it
      client
          .secrets()
          .inNamespace(ns)
          .withName(SampleSystem.JWKS_SECRET)
          .edit(
              s -> {
                s.getData().put("jwks.json", "eyJrZXlzIjpbXX0=");
                return s;
              });
      client
          .secrets()
          .inNamespace(ns)
          .withName("shop-db")
          .edit(
              s -> {
                s.getData().put("password", "bmV3LXNlY3JldA==");
                return s;
              });
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> !hash(client, ns, "shop-order").equals(before));
      // the gateway reads neither Secret into its env: its Deployment is not touched, it does not
      // roll
      assertThat(hash(client, ns, "shop-gateway")).isEqualTo(HASH_OF_NOTHING);
      assertThat(generation(client, ns, "shop-gateway")).isEqualTo(gatewayGeneration);
    }
  }

  private static long generation(
      io.fabric8.kubernetes.client.KubernetesClient client, String ns, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getGeneration();
  }

  private static String hash(
      io.fabric8.kubernetes.client.KubernetesClient client, String ns, String name) {
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
