package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The carrier's URL is a base with a path of its own (the gateway's egress, {@code
 * http://<gateway>:8081/egress/carrier}): bookings go to {@code <base>/v1/bookings}, a real HTTP
 * server on loopback records where.
 */
class HttpCarrierTest {
  @Test
  void booksUnderTheBasePathOfTheEgress() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body =
                "{\"carrier\":\"SIMULATED-CARRIER\",\"trackingCode\":\"SC1\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
    try {
      for (String base : List.of("/egress/carrier", "/egress/carrier/")) {
        var carrier =
            new HttpCarrier(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + base),
                Duration.ofSeconds(5));
        var booking =
            carrier
                .book(
                    new CarrierBooking.Book(
                        "s-1",
                        "alice",
                        new ShipmentEntity.Address("1 Main St", "Springfield", "12345", "DE")))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(booking.trackingCode()).isEqualTo("SC1");
      }
      assertThat(paths)
          .containsExactly("POST /egress/carrier/v1/bookings", "POST /egress/carrier/v1/bookings");
    } finally {
      server.stop(0);
    }
  }
}
