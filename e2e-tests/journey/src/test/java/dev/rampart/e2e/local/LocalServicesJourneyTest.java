package dev.rampart.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Ports;
import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import dev.rampart.testing.kube.Toolchain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  /**
   * grpcurl, as a user's gRPC tool: each service lists its own services by reflection beside the
   * standard ones, describes them, and answers grpc.health.v1 for the server and for each service.
   */
  @Test
  void everyServiceAnswersGrpcurlByReflectionAndHealth() throws Exception {
    Map<String, List<String>> served =
        Map.of(
            "order", List.of("rampart.order.v1.OrderService"),
            "user", List.of("rampart.shipping.v1.ShipmentExchange", "rampart.user.v1.UserService"),
            "shipping", List.of("rampart.shipping.v1.ShippingService"));
    for (var service : served.entrySet()) {
      String address = local.nodes(service.getKey()).get(0).ip() + ":" + Ports.GRPC;
      List<String> expected = new ArrayList<>(service.getValue());
      expected.addAll(List.of("grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"));
      assertThat(grpcurl(address, "list").lines().toList())
          .as("services of %s by reflection", service.getKey())
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(grpcurl(address, "describe", service.getValue().get(0))).contains(" rpc ");
      for (String name : List.of("", service.getValue().get(0))) {
        assertThat(
                grpcurl(
                    "-d", "{\"service\":\"" + name + "\"}", address, "grpc.health.v1.Health/Check"))
            .as("health of %s '%s'", service.getKey(), name)
            .contains("\"status\": \"SERVING\"");
      }
    }
  }

  private static String grpcurl(String... args) throws Exception {
    List<String> line =
        new ArrayList<>(List.of(Toolchain.current().grpcurl().toString(), "-plaintext"));
    line.addAll(List.of(args));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited && process.exitValue() == 0).as("%s answered:%n%s", line, output).isTrue();
    return output;
  }
}
