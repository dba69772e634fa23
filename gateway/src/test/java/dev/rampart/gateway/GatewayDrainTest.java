package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
}
