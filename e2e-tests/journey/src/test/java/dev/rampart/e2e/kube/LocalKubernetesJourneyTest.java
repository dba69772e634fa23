package dev.rampart.e2e.kube;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The journey on the local control plane, for real and without Docker: helm install of the operator
 * chart, the operator and every pod run by the process-pod runner with real RBAC, a real Kafka
 * broker and PostgreSQL.
 */
@Tag("slow")
class LocalKubernetesJourneyTest extends KubernetesJourneyScenario {
  private static LocalKubernetesShop shop;

  @BeforeAll
  static void start() {
    shop = LocalKubernetesShop.start(KubernetesJourneyScenario::progress);
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
