package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferencesTest {
  @Test
  void collectsEverySecretAndConfigMapAPodReads() {
    var shop = Samples.shop("ns");
    var order = shop.getSpec().service("order").orElseThrow();
    order.env =
        List.of(
            new EnvVarBuilder()
                .withName("API_KEY")
                .withNewValueFrom()
                .withNewSecretKeyRef("key", "api", false)
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("OPTIONAL")
                .withNewValueFrom()
                .withNewSecretKeyRef("key", "maybe", true)
                .endValueFrom()
                .build());
    order.envFrom =
        List.of(new EnvFromSourceBuilder().withNewConfigMapRef("order-config", false).build());
    assertThat(ConfigReferences.of(shop, order))
        .extracting(Ref::kind, Ref::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ConfigMap", "order-config"),
            org.assertj.core.groups.Tuple.tuple("Secret", "api"),
            org.assertj.core.groups.Tuple.tuple("Secret", "shop-db"));
  }

  /**
   * References without a name get past an older CRD: they name nothing to hash, and must not stop
   * the reconcile (they used to throw a NullPointerException before any child was applied).
   */
  @Test
  void referencesWithoutANameAreSkippedNotFatal() {
    var shop = Samples.shop("ns");
    var order = shop.getSpec().service("order").orElseThrow();
    order.env =
        List.of(
            new EnvVarBuilder()
                .withName("NO_SECRET_NAME")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withKey("k")
                .endSecretKeyRef()
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("NO_CONFIG_MAP_NAME")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withKey("k")
                .endConfigMapKeyRef()
                .endValueFrom()
                .build());
    order.envFrom =
        List.of(
            new EnvFromSourceBuilder().withNewSecretRef().endSecretRef().build(),
            new EnvFromSourceBuilder().withNewConfigMapRef().endConfigMapRef().build(),
            new EnvFromSourceBuilder().withNewSecretRef("", false).build());
    shop.getSpec().gateway.auth.jwksSecretRef.name = null;
    assertThat(ConfigReferences.of(shop, order))
        .extracting(Ref::kind, Ref::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Secret", "shop-db"));
    assertThat(ConfigReferences.ofGateway(shop)).isEmpty();
  }
}
