package dev.rampart.carrier;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a parcel's webhooks at their times: {@code POST
 * <base>/api/carrier/v1/shipments/{id}/events} with the partner bearer token, an {@code
 * Idempotency-Key} (the event id) and a JSON body {@code {eventId, status, occurredAt}}. Like a
 * real carrier it retries what was not accepted (no answer, 5xx, 429, 404 while the shipment is not
 * known yet) with backoff, and gives up on any other 4xx.
 */
final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final int MAX_ATTEMPTS = 30;
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /**
   * One answered attempt (status 0: no answer): when it was sent, the event's own time, and the
   * receiver's {@code outcome} (APPLIED, DUPLICATE, STALE) when it named one.
   */
  record Delivery(
      String shipmentId,
      String eventId,
      String status,
      int httpStatus,
      String occurredAt,
      String sentAt,
      String outcome) {}

  private final URI base;
  private final String token;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> cancelled =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  WebhookSender(URI base, String token, ScheduledExecutorService scheduler) {
    this.base = base;
    this.token = token;
    this.scheduler = scheduler;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  void schedule(String shipmentId, List<ParcelJourney.Webhook> webhooks) {
    for (ParcelJourney.Webhook w : webhooks) {
      scheduler.schedule(() -> send(shipmentId, w, 1), w.after().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A cancelled parcel's webhooks, pending or retried, are never sent. */
  void cancel(String shipmentId) {
    cancelled.add(shipmentId);
  }

  /** Every answered attempt so far, in the order they were answered. */
  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** The receiver's {@code outcome} member, if its answer is JSON with one. */
  private String outcome(String body) {
    try {
      return json.readTree(body).path("outcome").asText("");
    } catch (Exception e) {
      return "";
    }
  }

  private void send(String shipmentId, ParcelJourney.Webhook w, int attempt) {
    if (cancelled.contains(shipmentId)) {
      return;
    }
    byte[] body;
    try {
      body =
          json.writeValueAsBytes(
              Map.of(
                  "eventId", w.eventId(),
                  "status", w.status(),
                  "occurredAt", w.occurredAt().toString()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/carrier/v1/shipments/" + shipmentId + "/events"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", w.eventId())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    String sentAt = java.time.Instant.now().toString();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .whenComplete(
            (response, error) -> {
              int status = error == null ? response.statusCode() : 0;
              deliveries.add(
                  new Delivery(
                      shipmentId,
                      w.eventId(),
                      w.status(),
                      status,
                      w.occurredAt().toString(),
                      sentAt,
                      error == null ? outcome(response.body()) : ""));
              boolean retry = status == 0 || status >= 500 || status == 429 || status == 404;
              if (status / 100 == 2) {
                log.info(
                    "Webhook {} {} of {} accepted ({})",
                    w.eventId(),
                    w.status(),
                    shipmentId,
                    status);
              } else if (retry && attempt < MAX_ATTEMPTS) {
                long backoff = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(attempt, 6));
                log.info(
                    "Webhook {} of {} not accepted ({}), attempt {}; again in {} ms",
                    w.eventId(),
                    shipmentId,
                    error == null ? status : error.toString(),
                    attempt,
                    backoff);
                scheduler.schedule(
                    () -> send(shipmentId, w, attempt + 1), backoff, TimeUnit.MILLISECONDS);
              } else {
                log.warn(
                    "Webhook {} of {} given up after {} attempts: {} {}",
                    w.eventId(),
                    shipmentId,
                    attempt,
                    status,
                    error == null ? response.body() : error.toString());
              }
            });
  }
}
