package dev.rampart.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.testing.Namespaces;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator process as deployed: two replicas with leader election on a Lease (only the leader
 * reconciles; the other takes over when it goes), health probes and the Prometheus endpoint, and a
 * watched-namespace list.
 */
@Tag("slow")
class OperatorRuntimeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void leaderElectionHealthAndMetrics() throws Exception {
    var plane = OperatorControlPlane.shared();
    KubernetesClient client = plane.client();
    String leaseNs = Namespaces.create(client, "rampart-system");
    var settings = OperatorSettings.allNamespacesNoElection(0);
    var first = new Replica(plane, settings.withLeaderElection(leaseNs, "replica-a"));
    await().atMost(Duration.ofSeconds(20)).until(() -> holder(client, leaseNs) != null);
    var second = new Replica(plane, settings.withLeaderElection(leaseNs, "replica-b"));
    try {
      assertThat(holder(client, leaseNs)).isEqualTo("replica-a");
      assertThat(get(first.http.port(), "/healthz").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(first.http.port(), "/readyz").statusCode() == 200);
      assertThat(get(second.http.port(), "/healthz").statusCode()).isEqualTo(200);
      // the standby is ready as well: warm informers, able to take over (OperatorHttpServer)
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(second.http.port(), "/readyz").statusCode() == 200);

      String ns = SampleSystem.apply(client, "leader");
      SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
      var metrics = get(first.http.port(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(reconcileLines(metrics.body(), ns)).isNotEmpty();
      // the standby watches (its informers are warm) but has not reconciled anything
      assertThat(reconcileLines(get(second.http.port(), "/metrics").body(), ns)).isEmpty();

      // the leader goes away; the standby takes the lease when it expires and reconciles from then
      // on
      first.close();
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> "replica-b".equals(holder(client, leaseNs)));
      client.services().inNamespace(ns).withName("shop-user").delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.services().inNamespace(ns).withName("shop-user").get() != null);
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void watchesOnlyTheListedNamespaces() {
    var plane = OperatorControlPlane.shared();
    KubernetesClient client = plane.client();
    String watched = Namespaces.create(client, "watched");
    String ignored = Namespaces.create(client, "ignored");
    var settings =
        new OperatorSettings(
            java.util.Set.of(watched),
            java.util.Optional.empty(),
            OperatorSettings.DEFAULT_LEASE_NAME,
            0,
            "x",
            false);
    try (var operator = RunningOperator.start(plane, settings)) {
      client.resource(dev.rampart.operator.testing.Samples.shop(ignored)).create();
      client.resource(dev.rampart.operator.testing.Samples.shop(watched)).create();
      SampleSystem.awaitChildren(client, watched, HTTPRoute.class);
      assertThat(client.apps().deployments().inNamespace(ignored).list().getItems()).isEmpty();
      assertThat(SampleSystem.get(client, ignored).getStatus()).isNull();
    }
  }

  private static java.util.List<String> reconcileLines(String metrics, String ns) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_started"))
        .filter(l -> l.contains("namespace=\"" + ns + "\""))
        .toList();
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease =
        client.leases().inNamespace(ns).withName(OperatorSettings.DEFAULT_LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One operator replica: JOSDK with leader election, plus its HTTP endpoints. */
  private static final class Replica implements AutoCloseable {
    final KubernetesClient client;
    final Operator operator;
    final OperatorHttpServer http;
    private boolean closed;

    Replica(dev.rampart.testing.kube.LocalControlPlane plane, OperatorSettings settings)
        throws Exception {
      client = RunningOperator.newClient(plane);
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      operator = RampartOperator.create(client, settings, registry);
      http = new OperatorHttpServer("127.0.0.1", 0, operator, registry);
      operator.start();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        http.close();
        operator.stop();
        client.close();
      }
    }
  }
}
