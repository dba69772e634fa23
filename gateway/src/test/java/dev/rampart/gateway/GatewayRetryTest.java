package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import dev.rampart.proto.user.v1.UserServiceHandlerFactory;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two User endpoints over real gRPC, one of them a pod on its way out that answers every call
 * UNAVAILABLE: the gateway tries such a call again on the other endpoint, so no client sees the
 * leaving pod's 503s.
 */
class GatewayRetryTest {
  @Test
  void aCallAnsweredUnavailableByOneEndpointIsServedByTheOther() throws Exception {
    try (FakeUpstreams upstreams = new FakeUpstreams()) {
      FakeUserService leaving = new FakeUserService(upstreams.system);
      leaving.faults.put("dana", new FakeUserService.Fault(Status.UNAVAILABLE, Duration.ZERO));
      AtomicInteger leavingCalls = new AtomicInteger();
      ServerBinding leavingBinding =
          bind(
              upstreams, UserServiceHandlerFactory.create(leaving, upstreams.system), leavingCalls);
      try (GatewayHarness h =
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
                                  "127.0.0.1", leavingBinding.localAddress().getPort()))))
              .warmedUp()) {
        // round robin reaches both endpoints once both subchannels are connected (both answer an
        // unknown user 404)
        String warmUp = h.keys.token("warm-up");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  h.get("/api/users/warm-up", warmUp);
                  return leavingCalls.get() >= 2;
                });
        String token = h.keys.token("dana");
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        assertThat(
                h.post("/api/users", token, GatewayHarness.registration("dana", "Dana"))
                    .statusCode())
            .as("register")
            .isEqualTo(201);
        // a retry runs on its own channel (a shorter deadline), which connects to both endpoints
        // on its first use: wait until it has
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> h.get("/api/users/dana", token).statusCode() == 200);
        int before = leavingCalls.get();
        for (int i = 0; i < 20; i++) {
          var r = h.get("/api/users/dana", token);
          statuses.add(r.statusCode());
          if (r.statusCode() != 200) {
            assertThat(r.statusCode())
                .as("a call every try of which met the leaving pod")
                .isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
          }
        }
        // without retries, about every other call fails; with them, all but (rarely, when the
        // channels' round robins line up on the leaving pod for every try) one
        assertThat(statuses.stream().filter(st -> st == 200).count())
            .as("GET statuses " + statuses)
            .isGreaterThanOrEqualTo(19);
        assertThat(leavingCalls.get() - before)
            .as("calls the leaving endpoint answered UNAVAILABLE")
            .isGreaterThanOrEqualTo(5);
        assertThat(h.get("/metrics", null).body())
            .as("metrics")
            .containsPattern("gateway_upstream_retries_total\\{upstream=\"user\"} [1-9]");
      } finally {
        leavingBinding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static ServerBinding bind(
      FakeUpstreams upstreams,
      Function<HttpRequest, CompletionStage<HttpResponse>> grpc,
      AtomicInteger calls)
      throws Exception {
    Function<HttpRequest, CompletionStage<HttpResponse>> counting =
        req -> {
          calls.incrementAndGet();
          return grpc.apply(req);
        };
    return Http.get(upstreams.system)
        .newServerAt("127.0.0.1", 0)
        .bind(counting)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }
}
