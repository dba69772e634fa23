package dev.rampart.e2e.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic generator against a real HTTP server on loopback that holds every answer until the
 * test lets it go: requests keep going out on schedule while none has answered (open loop), and
 * every answer is recorded as it was.
 */
class OrderTrafficTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicInteger received = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    server.setExecutor(handlers);
    server.createContext("/api/orders", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** Every third placement is a 503 with Retry-After, every seventh a 503 without, others 201. */
  private void answer(HttpExchange exchange) throws IOException {
    int n = received.incrementAndGet();
    String key = JSON.readTree(exchange.getRequestBody()).path("orderId").asText();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body;
    if (n % 3 == 0) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      body = "{\"status\":503}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(503, body.length);
    } else if (n % 7 == 0) {
      body = "{\"status\":503}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(503, body.length);
    } else {
      body = ("{\"id\":\"id-" + key + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(201, body.length);
    }
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void requestsGoOutOnScheduleWhileNoneHasAnsweredAndEveryAnswerIsRecorded() {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (OrderTraffic traffic =
        OrderTraffic.start(
            () -> List.of(base), Map.of("ann", "token-a", "bob", "token-b"), "t", 20)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= 20);
      assertThat(traffic.snapshot().sent()).as("answered while the server holds them").isZero();
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> traffic.snapshot().sent() >= 20);
      OrderTraffic.Report report = traffic.stop();

      assertThat(report.sent()).isEqualTo(received.get());
      assertThat(report.serverErrors())
          .allSatisfy(o -> assertThat(o.status()).isEqualTo(503))
          .anySatisfy(o -> assertThat(o.retryAfter()).isTrue())
          .anySatisfy(o -> assertThat(o.retryAfter()).isFalse());
      assertThat(report.unanswered()).isEmpty();
      assertThat(report.acknowledged())
          .hasSize(report.ok().size())
          .allSatisfy(
              (id, user) -> {
                assertThat(id).startsWith("id-t-");
                assertThat(user).isIn("ann", "bob");
              });
      assertThat(report.summary()).contains("sent " + report.sent()).contains("HTTP 503");
    }
  }

  @Test
  void withoutAGatewayARequestIsCountedAsUnanswered() {
    try (OrderTraffic traffic = OrderTraffic.start(List::of, Map.of("ann", "token-a"), "n", 20)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> traffic.snapshot().sent() >= 3);
      OrderTraffic.Report report = traffic.stop();
      assertThat(report.unanswered()).hasSize(report.sent());
      assertThat(report.acknowledged()).isEmpty();
    }
  }
}
