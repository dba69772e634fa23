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
  @Test
  void changedSecretRollsThePods() {
    var plane = OperatorControlPlane.shared();
    var client = plane.client();
    try (var operator = RunningOperator.start(plane)) {
      String ns = SampleSystem.apply(client, "config-hash");
      SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
      String before = hash(client, ns, "shop-order");
      String gatewayBefore = hash(client, ns, "shop-gateway");
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
      // the gateway reads neither Secret into its env: it does not roll
      assertThat(hash(client, ns, "shop-gateway")).isEqualTo(gatewayBefore);
    }
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
