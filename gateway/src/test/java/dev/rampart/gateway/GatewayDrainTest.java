package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A gateway pod that gets SIGTERM keeps answering, not ready, for its drain, so clients that chose
 * it a moment ago are served instead of refused; then it unbinds. Over real HTTP on loopback.
 */
class GatewayDrainTest {
  private static final Duration DRAIN =
      ConfigFactory.load().getDuration("rampart.gateway.shutdown-drain");

  @Test
  void onSigtermTheGatewayServesNotReadyForItsDrainThenUnbinds() throws Exception {
    try (GatewayHarness h = new GatewayHarness(c -> c).warmedUp()) {
      String token = h.keys.token("drain");
      assertThat(h.get("/readyz", null).statusCode()).isEqualTo(200);
      long start = System.nanoTime();
      var stopped = h.gateway.stopAsOnSigterm().toCompletableFuture();

      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(h.get("/readyz", null).statusCode()).isEqualTo(503));
      // not ready, and still serving: the upstream's own answer for an unknown user
      assertThat(h.get("/api/users/drain", token).statusCode()).isEqualTo(404);

      stopped.get(30, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DRAIN);
      assertThatThrownBy(() -> h.get("/readyz", null)).isInstanceOf(IllegalStateException.class);
    }
  }

  /**
   * Open streams outlive the drain (clients keep what they have while new ones go elsewhere), then
   * end the way a client can tell from a failure: close 1001 going away, or the SSE end event.
   */
  @Test
  void afterTheDrainOpenStreamsEndGoingAway() throws Exception {
    try (GatewayHarness h = new GatewayHarness(c -> c).warmedUp()) {
      String token = h.keys.token("leaving");
      h.post("/api/users", token, GatewayHarness.registration("leaving", "Lee"));
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      StringBuilder reason = new StringBuilder();
      h.http
          .newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .buildAsync(
              URI.create("ws://127.0.0.1:" + h.gateway.port() + "/api/users/leaving/notifications"),
              new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket ws, int code, String why) {
                  reason.append(why);
                  closed.complete(code);
                  return null;
                }
              })
          .get(10, TimeUnit.SECONDS);
      HttpResponse<Stream<String>> sse =
          h.http.send(
              h.request("/api/users/leaving/events", token).GET().build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(sse.statusCode()).isEqualTo(200);
      List<String> sseLines = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<Void> sseRead =
          CompletableFuture.runAsync(() -> sse.body().forEach(sseLines::add));

      long start = System.nanoTime();
      var stopped = h.gateway.stopAsOnSigterm().toCompletableFuture();
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(h.get("/readyz", null).statusCode()).isEqualTo(503));
      assertThat(closed).as("the WebSocket stays open during the drain").isNotDone();

      assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo(1001);
      assertThat(reason.toString()).isEqualTo("going away");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DRAIN);
      // what arrived counts: the end event is the promise, not how the connection closes after it
      sseRead.handle((ok, failed) -> null).get(20, TimeUnit.SECONDS);
      assertThat(sseLines).containsSubsequence("data:going away", "event:end");
      stopped.get(30, TimeUnit.SECONDS);
    }
  }
}
