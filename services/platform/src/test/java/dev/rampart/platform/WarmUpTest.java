package dev.rampart.platform;

import static dev.rampart.platform.NodeEnv.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Probes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A real node on loopback (H2 journal) with warm-up on: Up in its cluster but not Ready until its
 * warm-up ran, each step tried again until it succeeds, and Ready anyway once the warm-up's time is
 * up.
 */
class WarmUpTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aNodeIsReadyOnlyOnceItsWarmUpRanEveryStepUntilItSucceeded() throws Exception {
    int management = freePort();
    var env = NodeEnv.of("warm", "127.0.0.1", management, freePort());
    var config = ConfigFactory.parseString("rampart.warm-up { enabled = on, timeout = 60s }");
    try (ServiceRuntime node = ServiceRuntime.start("warm", env, config)) {
      String ready = "http://127.0.0.1:" + management + Probes.READY;
      awaitUp(node);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(status(ready)).as("ready before warm-up").isNotEqualTo(200));

      AtomicInteger tries = new AtomicInteger();
      CompletableFuture<Integer> opened = new CompletableFuture<>();
      Map<String, Supplier<CompletionStage<?>>> steps = new LinkedHashMap<>();
      steps.put(
          "journal pool",
          () -> node.journalDatabase().openAll(node.system()).thenApply(opened::complete));
      steps.put(
          "flaky peer",
          () ->
              tries.incrementAndGet() < 3
                  ? CompletableFuture.failedFuture(new IllegalStateException("not yet"))
                  : CompletableFuture.completedFuture("reached"));
      WarmUp.get(node.system()).run(steps).toCompletableFuture().get(30, TimeUnit.SECONDS);

      assertThat(opened.get()).as("connections opened").isEqualTo(10);
      assertThat(tries.get()).as("tries of the flaky step").isEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(status(ready)).as("ready after warm-up").isEqualTo(200));
    }
  }

  @Test
  void aStepThatNeverSucceedsHoldsTheNodeBackOnlyUntilTheWarmUpTimesOut() throws Exception {
    int management = freePort();
    var env = NodeEnv.of("stuck", "127.0.0.1", management, freePort());
    var config = ConfigFactory.parseString("rampart.warm-up { enabled = on, timeout = 3s }");
    try (ServiceRuntime node = ServiceRuntime.start("stuck", env, config)) {
      String ready = "http://127.0.0.1:" + management + Probes.READY;
      awaitUp(node);
      long start = System.nanoTime();
      WarmUp.get(node.system())
          .run(
              Map.of(
                  "peer down",
                  () -> CompletableFuture.failedFuture(new IllegalStateException("down"))))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the warm-up's time")
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(status(ready)).isEqualTo(200));
    }
  }

  private static void awaitUp(ServiceRuntime node) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Cluster.get(node.system()).selfMember().status())
                    .isEqualTo(MemberStatus.up()));
  }

  private int status(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
