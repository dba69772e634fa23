package dev.rampart.platform;

import static dev.rampart.platform.NodeEnv.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.CoordinatedShutdown;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.contract.Probes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One real node on loopback (H2 journal): bootstrap forms a cluster; probes and metrics answer over
 * HTTP.
 */
class ServiceRuntimeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void singleNodeFormsClusterAndServesProbesAndMetrics() throws Exception {
    int management = freePort();
    Map<String, String> env = NodeEnv.of("probe", "127.0.0.1", management, freePort());

    try (ServiceRuntime node = ServiceRuntime.start("probe", env, ConfigFactory.empty())) {
      var config = node.system().settings().config();
      assertThat(config.getString("akka.cluster.downing-provider-class"))
          .isEqualTo("akka.cluster.sbr.SplitBrainResolverProvider");
      assertThat(config.getString("akka.cluster.split-brain-resolver.active-strategy"))
          .isEqualTo("keep-majority");
      assertThat(config.getBoolean("akka.coordinated-shutdown.exit-jvm")).isFalse();
      String base = "http://127.0.0.1:" + management;
      assertThat(get(base + Probes.ALIVE).statusCode()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Cluster.get(node.system()).selfMember().status())
                      .isEqualTo(MemberStatus.up()));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(get(base + Probes.READY).statusCode()).isEqualTo(200));

      HttpResponse<String> metrics = get(base + Probes.METRICS);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("akka_cluster_members{service=\"probe\",status=\"up\"} 1.0")
          .contains("jvm_memory_used_bytes");
      assertThat(get(base + "/cluster/members").body()).contains("\"status\":\"Up\"");
    }
  }

  @Test
  void carriesTheAppVersionAndTurnsUnreadyBeforeItLeavesTheCluster() throws Exception {
    int management = freePort();
    Map<String, String> env =
        NodeEnv.of("leaver", "127.0.0.1", management, freePort(), Env.APP_VERSION, "7");
    try (ServiceRuntime node = ServiceRuntime.start("leaver", env, ConfigFactory.empty())) {
      var cluster = Cluster.get(node.system());
      String ready = "http://127.0.0.1:" + management + Probes.READY;
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(get(ready).statusCode()).isEqualTo(200));
      assertThat(cluster.selfMember().appVersion()).isEqualTo(akka.util.Version.apply("7"));

      CoordinatedShutdown.get(node.system()).run(CoordinatedShutdown.unknownReason());
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(get(ready).statusCode()).isNotEqualTo(200));
      // not ready, yet still a member serving: callers get the drain period to drop it
      assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
    }
  }

  /**
   * What {@code kubectl port-forward} needs: the management and gRPC servers answer on the pod's
   * localhost as well as on its pod IP (here 127.0.0.2 plays the pod IP, 127.0.0.1 its localhost).
   */
  @Test
  void managementAndGrpcAnswerOnThePodsLocalhostToo() throws Exception {
    int management = freePort();
    int grpc = freePort();
    Map<String, String> env =
        NodeEnv.of("forwarded", "127.0.0.2", management, grpc, Env.LOCALHOST, "127.0.0.1");
    try (ServiceRuntime node = ServiceRuntime.start("forwarded", env, ConfigFactory.empty())) {
      var binding =
          node.serveGrpc(
                  request ->
                      java.util.concurrent.CompletableFuture.completedFuture(
                          akka.http.javadsl.model.HttpResponse.create().withStatus(204)))
              .toCompletableFuture()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(binding.localAddress().getHostString()).isEqualTo("127.0.0.2");
      for (String host : new String[] {"127.0.0.2", "127.0.0.1"}) {
        assertThat(get("http://" + host + ":" + management + Probes.ALIVE).statusCode())
            .as("management on " + host)
            .isEqualTo(200);
        assertThat(get("http://" + host + ":" + grpc + "/any").statusCode())
            .as("gRPC server on " + host)
            .isEqualTo(204);
      }
      assertThat(node.system().settings().config().getString("akka.remote.artery.bind.hostname"))
          .isEqualTo("127.0.0.2");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
