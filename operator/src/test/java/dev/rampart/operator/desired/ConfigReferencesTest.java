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
}
