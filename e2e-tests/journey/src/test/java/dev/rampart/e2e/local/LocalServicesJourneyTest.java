package dev.rampart.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The user journey through the whole system without Kubernetes: every service a real multi-node
 * Akka cluster (separate JVMs on loopback), a real Kafka broker and PostgreSQL, and only the
 * gateway facing the client.
 */
@Tag("slow")
class LocalServicesJourneyTest {
  private static LocalServices local;

  @BeforeAll
  static void start() {
    local = LocalServices.start(2, message -> System.out.println("==> " + message));
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void ordersFlowFromGatewayThroughKafkaAndShippingBackToTheUser() throws Exception {
    ShopJourney journey =
        new ShopJourney(
            new GatewayClient(local.gatewayUrl()),
            local.jwt(),
            m -> System.out.println("==> " + m));
    ShopJourney.Result result;
    try {
      result = journey.run("alice", 3, Duration.ofSeconds(90));
    } catch (ShopJourney.JourneyFailure e) {
      throw new AssertionError(e.getMessage() + "\nprocess logs:\n" + local.logTails(20), e);
    }
    assertThat(result.historyOrderIds()).containsAll(result.orderIds());
    assertThat(result.shipmentNotice().path("shipmentNotice").path("orderId").asText())
        .isIn(result.orderIds());
    assertThat(result.shipmentNotice().path("shipmentNotice").path("status").asText())
        .isEqualTo("BOOKED");
  }
}
