package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several endpoints for one upstream (RAMPART_PEER_ENDPOINTS {@code user=a|b}, as several pods):
 * calls are balanced over them, and when one goes away the gateway keeps serving from the other.
 */
class GatewayBalancingTest {
  @Test
  void balancesOverEveryEndpointAndSurvivesLosingOne() throws Exception {
    try (FakeUpstreams upstreams = new FakeUpstreams();
        GatewayHarness h =
            new GatewayHarness(
                    upstreams,
                    false,
                    c ->
                        c.withEndpoints(
                            "user",
                            List.of(
                                new GatewayConfig.HostPort(
                                    "127.0.0.1", upstreams.userBinding.localAddress().getPort()),
                                new GatewayConfig.HostPort(
                                    "127.0.0.1",
                                    upstreams.secondUserBinding.localAddress().getPort()))))
                .warmedUp()) {
      String token = h.keys.token("dana");
      assertThat(
              h.post("/api/users", token, GatewayHarness.registration("dana", "Dana")).statusCode())
          .isEqualTo(201);
      AtomicInteger first =
          upstreams.callsByPort.get(upstreams.userBinding.localAddress().getPort());
      AtomicInteger second =
          upstreams.callsByPort.get(upstreams.secondUserBinding.localAddress().getPort());
      // round robin starts once both subchannels are connected
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (int i = 0; i < 10; i++)
                  assertThat(h.get("/api/users/dana", token).statusCode()).isEqualTo(200);
                return first.get() > 0 && second.get() > 0;
              });

      upstreams
          .userBinding
          .terminate(Duration.ofSeconds(1))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      int before = second.get();
      // after at most a few failed calls while the balancer notices, every call is served by the
      // other pod
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (int i = 0; i < 10; i++)
                  if (h.get("/api/users/dana", token).statusCode() != 200) return false;
                return true;
              });
      assertThat(second.get()).isGreaterThanOrEqualTo(before + 10);
    }
  }
}
