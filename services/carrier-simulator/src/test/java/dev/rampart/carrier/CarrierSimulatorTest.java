package dev.rampart.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The simulator as its own HTTP server, booked over HTTP, sending its webhooks to a receiver that
 * records them (and refuses each event's first attempt with a 503, as a gateway restarting would).
 */
class CarrierSimulatorTest {
  record Received(String path, String authorization, String idempotencyKey, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void bookingIsIdempotentAndEveryEventArrivesRetriedDuplicatedAndOutOfOrder() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    receiver.createContext(
        "/api/carrier/v1/shipments/",
        exchange -> {
          try (exchange) {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (refusedOnce.add(key)) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            received.add(
                new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    key,
                    body));
            exchange.sendResponseHeaders(202, -1);
          }
        });
    receiver.start();
    try (CarrierSimulator simulator =
        CarrierSimulator.start(
            Map.of(
                SimulatorSettings.PORT, "0",
                SimulatorSettings.WEBHOOK_BASE,
                    "http://127.0.0.1:" + receiver.getAddress().getPort(),
                SimulatorSettings.WEBHOOK_TOKEN, "partner-token",
                SimulatorSettings.MIN_DELAY_MS, "20",
                SimulatorSettings.MAX_DELAY_MS, "100",
                SimulatorSettings.DUPLICATE_RATE, "1",
                SimulatorSettings.REORDER_RATE, "1",
                SimulatorSettings.SEED, "7"))) {
      URI bookings = URI.create("http://127.0.0.1:" + simulator.port() + "/v1/bookings");
      var first = post(bookings, "{\"shipmentId\":\"s-1\",\"country\":\"DE\"}");
      var again = post(bookings, "{\"shipmentId\":\"s-1\",\"country\":\"DE\"}");
      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(again.statusCode()).isEqualTo(200);
      JsonNode booking = JSON.readTree(first.body());
      assertThat(booking.path("carrier").asText()).isEqualTo(CarrierSimulator.CARRIER);
      assertThat(booking.path("trackingCode").asText()).matches("SC\\d{10}");
      assertThat(JSON.readTree(again.body())).isEqualTo(booking);
      assertThat(post(bookings, "{\"shipmentId\":\"a b\"}").statusCode()).isEqualTo(400);
      assertThat(post(bookings, "not json").statusCode()).isEqualTo(400);

      // every event twice (duplicate rate 1), each after a refused first attempt
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).hasSize(6));
      String tracking = booking.path("trackingCode").asText();
      assertThat(received)
          .allSatisfy(
              r -> {
                assertThat(r.path()).isEqualTo("/api/carrier/v1/shipments/s-1/events");
                assertThat(r.authorization()).isEqualTo("Bearer partner-token");
                assertThat(r.idempotencyKey()).isEqualTo(r.body().path("eventId").asText());
                assertThat(Instant.parse(r.body().path("occurredAt").asText())).isNotNull();
              });
      assertThat(received)
          .extracting(r -> r.body().path("eventId").asText())
          .containsOnly(tracking + "-1", tracking + "-2", tracking + "-3");
      assertThat(received)
          .extracting(r -> r.body().path("status").asText())
          .containsOnly("IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED");
      assertThat(simulator.deliveries())
          .extracting(WebhookSender.Delivery::httpStatus)
          .contains(503);
      // the one booking was reported once: a second booking of s-1 sent nothing more
      assertThat(refusedOnce).hasSize(3);
      // the parcel's timeline: every attempt with its answer, the refused ones too
      var timeline =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(bookings + "/s-1/events")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(timeline.statusCode()).isEqualTo(200);
      JsonNode attempts = JSON.readTree(timeline.body());
      assertThat(attempts.size()).isEqualTo(simulator.deliveries().size()).isGreaterThan(6);
      assertThat(attempts.get(0).path("occurredAt").asText()).isNotEmpty();
      assertThat(attempts.get(0).path("sentAt").asText()).isNotEmpty();
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(bookings + "/nobody/events")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aCancelledBookingSendsNoWebhookAndCancellingIsIdempotent() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            received.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(202, -1);
          }
        });
    receiver.start();
    try (CarrierSimulator simulator =
        CarrierSimulator.start(
            Map.of(
                SimulatorSettings.PORT, "0",
                SimulatorSettings.WEBHOOK_BASE,
                    "http://127.0.0.1:" + receiver.getAddress().getPort(),
                SimulatorSettings.MIN_DELAY_MS, "1000",
                SimulatorSettings.MAX_DELAY_MS, "1500"))) {
      URI bookings = URI.create("http://127.0.0.1:" + simulator.port() + "/v1/bookings");
      assertThat(post(bookings, "{\"shipmentId\":\"c-1\",\"country\":\"DE\"}").statusCode())
          .isEqualTo(201);
      for (int i = 0; i < 2; i++) {
        var cancelled = delete(URI.create(bookings + "/c-1"));
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("cancelled").asBoolean()).isTrue();
      }
      assertThat(delete(URI.create(bookings + "/unknown")).statusCode()).isEqualTo(404);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(received::isEmpty);
    } finally {
      receiver.stop(0);
    }
  }

  private HttpResponse<String> delete(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aJourneyReportsEveryStatusWithItsTrueTimesAndReordersSomeSends() {
    var settings =
        new SimulatorSettings(
            "127.0.0.1",
            0,
            java.util.Optional.empty(),
            "",
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            0.0,
            1.0,
            1);
    Instant booked = Instant.parse("2026-12-02T10:00:00Z");
    var plan = ParcelJourney.plan("SC1", booked, settings, new Random(1));
    assertThat(plan)
        .extracting(ParcelJourney.Webhook::eventId)
        .containsOnly("SC1-1", "SC1-2", "SC1-3");
    assertThat(plan).hasSize(3);
    // reorder rate 1: the pickup goes out after out-for-delivery, though it happened first
    assertThat(plan.get(0).status()).isEqualTo("OUT_FOR_DELIVERY");
    assertThat(plan.get(1).status()).isEqualTo("IN_TRANSIT");
    var byStatus = new java.util.HashMap<String, Instant>();
    plan.forEach(w -> byStatus.put(w.status(), w.occurredAt()));
    assertThat(byStatus.get("IN_TRANSIT")).isBefore(byStatus.get("OUT_FOR_DELIVERY"));
    assertThat(byStatus.get("OUT_FOR_DELIVERY")).isBefore(byStatus.get("DELIVERED"));
    assertThat(byStatus.get("IN_TRANSIT")).isAfterOrEqualTo(booked.plusMillis(100));

    var inOrder =
        ParcelJourney.plan(
            "SC2",
            booked,
            new SimulatorSettings(
                "127.0.0.1",
                0,
                java.util.Optional.empty(),
                "",
                Duration.ZERO,
                Duration.ZERO,
                0,
                0,
                1),
            new Random(1));
    assertThat(inOrder)
        .extracting(ParcelJourney.Webhook::status)
        .containsExactly("IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED");
  }

  private HttpResponse<String> post(URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
