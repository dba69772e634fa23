package dev.rampart.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The carrier's booking API over HTTP, through the gateway's egress: {@code POST
 * <base>/v1/bookings} with {@code {shipmentId, country}}, answered 200 or 201 with {@code {carrier,
 * trackingCode}} (the carrier is idempotent on the shipment id). Anything else fails the stage, and
 * the booking is tried again. {@code DELETE <base>/v1/bookings/{id}} cancels one: 200 or 204, or
 * 404 for a booking the carrier does not have, are all done (idempotent).
 */
final class HttpCarrier implements Carrier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI bookings;
  private final Duration timeout;
  private final HttpClient http;

  HttpCarrier(URI base, Duration timeout) {
    // appended, not resolved: the base has a path of its own behind the gateway's egress
    // (http://<gateway>:8081/egress/carrier), which "/v1/bookings" would replace
    String b = base.toString();
    this.bookings =
        URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v1/bookings");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public CompletionStage<Void> cancel(String shipmentId) {
    URI booking = URI.create(bookings + "/" + shipmentId);
    return http.sendAsync(
            HttpRequest.newBuilder(booking).timeout(timeout).DELETE().build(),
            HttpResponse.BodyHandlers.discarding())
        .thenApply(
            response -> {
              int code = response.statusCode();
              if (code != 200 && code != 204 && code != 404) {
                throw new CompletionException(
                    new IllegalStateException("the carrier answered " + code + " to " + booking));
              }
              return null;
            });
  }

  @Override
  public CompletionStage<CarrierBooking.Booking> book(CarrierBooking.Book request) {
    byte[] body;
    try {
      body =
          JSON.writeValueAsBytes(
              Map.of("shipmentId", request.shipmentId(), "country", request.address().country()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return http.sendAsync(
            HttpRequest.newBuilder(bookings)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200 && response.statusCode() != 201) {
                throw new CompletionException(
                    new IllegalStateException(
                        "the carrier answered " + response.statusCode() + " to " + bookings));
              }
              try {
                JsonNode booking = JSON.readTree(response.body());
                String carrier = booking.path("carrier").asText("");
                String tracking = booking.path("trackingCode").asText("");
                if (carrier.isEmpty() || tracking.isEmpty()) {
                  throw new IllegalStateException("the carrier's booking has no carrier or code");
                }
                return new CarrierBooking.Booking(carrier, tracking);
              } catch (java.io.IOException e) {
                throw new CompletionException(e);
              }
            });
  }
}
