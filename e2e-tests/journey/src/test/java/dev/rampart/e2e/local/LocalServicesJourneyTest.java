package dev.rampart.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Ports;
import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import dev.rampart.testing.kube.Toolchain;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The user journey through the whole system without Kubernetes: every service a real multi-node
 * Akka cluster (separate JVMs on loopback), a real Kafka broker and PostgreSQL, and only the
 * gateway facing the client and the third-party carrier (the simulator): Shipping books through the
 * gateway's egress, the carrier's webhooks come back through the gateway's partner route, and every
 * order ends DELIVERED.
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
    Map<String, List<ShopJourney.Milestone>> timelines;
    try {
      result = journey.run("alice", 3, Duration.ofSeconds(90));
      timelines = journey.awaitDelivered("alice", result.orderIds(), Duration.ofSeconds(120));
    } catch (ShopJourney.JourneyFailure e) {
      throw new AssertionError(e.getMessage() + "\nprocess logs:\n" + local.logTails(20), e);
    }
    assertThat(timelines.values())
        .allSatisfy(
            seen ->
                assertThat(seen)
                    .extracting(ShopJourney.Milestone::status)
                    .endsWith("SHIPPED", "DELIVERED"));
    assertThat(result.historyOrderIds()).containsAll(result.orderIds());
    assertThat(result.shipmentNotice().path("shipmentNotice").path("orderId").asText())
        .isIn(result.orderIds());
    assertThat(result.shipmentNotice().path("shipmentNotice").path("status").asText())
        .isEqualTo("BOOKED");
    // Shipping booked every order's parcel with the carrier (the simulator) over HTTP
    HttpClient http = HttpClient.newHttpClient();
    for (String orderId : result.orderIds()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                var booking =
                    http.send(
                        java.net.http.HttpRequest.newBuilder(
                                local.carrierUrl().resolve("/v1/bookings/" + orderId))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(booking.statusCode()).as("booking of %s", orderId).isEqualTo(200);
                assertThat(booking.body()).contains("SIMULATED-CARRIER");
              });
      // the parcel's timeline as the carrier lived it: its webhooks and the gateway's answers
      var attempts =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  http.send(
                          java.net.http.HttpRequest.newBuilder(
                                  local.carrierUrl().resolve("/v1/bookings/" + orderId + "/events"))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.ofString())
                      .body());
      List<String> lines = new ArrayList<>();
      int deliveredApplied = 0;
      int deliveredAccepted = 0;
      for (var a : attempts) {
        lines.add(
            a.path("status").asText()
                + " (occurred "
                + a.path("occurredAt").asText()
                + ", sent "
                + a.path("sentAt").asText()
                + ") -> "
                + a.path("httpStatus").asInt()
                + " "
                + a.path("outcome").asText());
        assertThat(a.path("httpStatus").asInt()).as("webhook answer %s", a).isNotIn(401, 403);
        if (a.path("status").asText().equals("DELIVERED")) {
          if (a.path("outcome").asText().equals("APPLIED")) deliveredApplied++;
          if (a.path("httpStatus").asInt() / 100 == 2) deliveredAccepted++;
        }
      }
      System.out.println(
          "==> parcel " + orderId + " timeline:\n      " + String.join("\n      ", lines));
      // applied at most once, however often it was sent (a lost answer makes the retry DUPLICATE)
      assertThat(deliveredApplied).as("DELIVERED applied for %s", orderId).isLessThanOrEqualTo(1);
      assertThat(deliveredAccepted).as("DELIVERED accepted for %s", orderId).isPositive();
    }
    // Shipping reached the carrier only through the gateway's egress
    String metrics =
        http.send(
                java.net.http.HttpRequest.newBuilder(local.gatewayUrl().resolve("/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("gateway_egress_requests_seconds_count{egress=\"carrier\",status=\"2xx\"}");
  }

  /**
   * A client's W3C traceparent on one order reaches the logs of every service that works on it:
   * Order placing it, User checking the customer and recording the order from Kafka, Shipping
   * creating the shipment from Order's projection.
   */
  @Test
  void aTraceparentSentToTheGatewayIsInTheLogsOfOrderUserAndShipping() throws Exception {
    String traceId = "5a1e7f00d1ce4b2c9c0ffee0ddba11ad";
    String token = local.jwt().tokenFor("tracy");
    HttpClient http = HttpClient.newHttpClient();
    String registration =
        "{\"name\":\"Tracy\",\"email\":\"tracy@example.com\",\"address\":{\"street\":\"1"
            + " Main St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"US\"}}";
    String order =
        "{\"orderId\":\"traced-1\",\"lines\":[{\"sku\":\"map\",\"quantity\":1,"
            + "\"unitPriceCents\":300}]}";
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> post(http, "/api/users", token, registration, null).statusCode() == 201);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                post(http, "/api/orders", token, order, "00-" + traceId + "-00f067aa0ba902b7-01")
                        .statusCode()
                    == 201);
    for (String service : List.of("order", "user", "shipping")) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(
                          local.nodes(service).stream()
                              .anyMatch(n -> logContains(n.process().log(), "trace_id=" + traceId)))
                      .as("a log line of %s with trace_id=%s", service, traceId)
                      .isTrue());
    }
  }

  private java.net.http.HttpResponse<String> post(
      HttpClient http, String path, String token, String json, String traceparent)
      throws Exception {
    var b =
        java.net.http.HttpRequest.newBuilder(local.gatewayUrl().resolve(path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json));
    if (traceparent != null) b.header("traceparent", traceparent);
    return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static boolean logContains(java.nio.file.Path log, String text) {
    try {
      return java.nio.file.Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
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
