package dev.rampart.e2e.kube;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same journey on kind, with Jib-built images, Strimzi and a Gateway API implementation: run by
 * e2e-tests/kind/run-kind-e2e.sh on a machine with Docker (it sets rampart.e2e.kind.kubeconfig).
 * The carrier simulator runs in its own namespace ({@link KindCarrier}), so every order of the
 * journey goes all the way to DELIVERED.
 */
@Tag("kind")
@EnabledIfSystemProperty(named = "rampart.e2e.kind.kubeconfig", matches = ".+")
class KindJourneyTest extends KubernetesJourneyScenario {
  private static KindShop shop;

  @BeforeAll
  static void start() {
    shop =
        KindShop.apply(
            KindShop.Settings.fromSystemProperties(), KubernetesJourneyScenario::progress);
    shop.awaitCarrierReady();
  }

  @AfterAll
  static void stop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Override
  protected ShopCluster cluster() {
    return shop;
  }
}
