package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.NetworkPolicySpec;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD's name-length limits (metadata.name ≤ 54 with the wall, ≤ 55 with a gateway, system +
 * service ≤ 62) are exactly what keeps every child name a DNS label: at the limit every name fits
 * in 63 characters, one character more and one does not.
 */
class ChildNamesTest {
  private static final int DNS_LABEL = 63;

  @Test
  void everyChildNameOfTheSampleIsListedAndItsOwnDesiredObjectsMatch() {
    var shop = Samples.shop("ns");
    var names = ChildNames.of(shop);
    assertThat(names.get(NetworkPolicy.class))
        .containsExactlyElementsOf(
            SystemWall.of(shop).stream().map(p -> p.getMetadata().getName()).toList());
    assertThat(names.get(io.strimzi.api.kafka.model.topic.KafkaTopic.class))
        .containsExactly("shop-order-events", "shop-order-events-public");
    assertThat(names.get(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class))
        .containsExactly(GatewayRoutes.name(shop));
  }

  @Test
  void atTheLimitsEveryNameIsADnsLabel() {
    assertThat(longest(system(54, 62 - 54, true, true))).hasSizeLessThanOrEqualTo(DNS_LABEL);
    assertThat(longest(system(55, 62 - 55, true, false))).hasSizeLessThanOrEqualTo(DNS_LABEL);
    assertThat(longest(system(40, 22, false, false))).hasSizeLessThanOrEqualTo(DNS_LABEL);
  }

  @Test
  void oneCharacterPastALimitSomeNameIsNot() {
    assertThat(longest(system(55, 1, false, true))).hasSize(DNS_LABEL + 1); // <system>-deny-all
    assertThat(longest(system(56, 1, true, false))).hasSize(DNS_LABEL + 1); // <system>-gateway
    assertThat(longest(system(40, 23, false, false))).hasSize(DNS_LABEL + 1); // <system>-<service>
  }

  private static String longest(MicroserviceSystem system) {
    return ChildNames.of(system).values().stream()
        .flatMap(List::stream)
        .max(java.util.Comparator.comparingInt(String::length))
        .orElseThrow();
  }

  private static MicroserviceSystem system(
      int nameLength, int serviceLength, boolean gateway, boolean wall) {
    var system = Samples.shop("ns");
    system.getMetadata().setName("s".repeat(nameLength));
    var service = new ServiceSpec();
    service.name = "v".repeat(serviceLength);
    system.getSpec().services = List.of(service);
    system.getSpec().kafka = null;
    if (!gateway) {
      system.getSpec().gateway = null;
    } else {
      system.getSpec().gateway.routes = List.of();
    }
    system.getSpec().networkPolicy = new NetworkPolicySpec();
    system.getSpec().networkPolicy.enabled = wall;
    return system;
  }
}
