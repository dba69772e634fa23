package dev.rampart.platform;

import akka.actor.AbstractExtensionId;
import akka.actor.ClassicActorSystemProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.cluster.Cluster;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import dev.rampart.metrics.PrometheusRegistries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.stream.StreamSupport;

/**
 * The node's Prometheus registry ({@link PrometheusRegistries}: JVM metrics, timer histograms),
 * cluster membership gauges, gRPC calls served ({@link GrpcServerMetrics}), and whatever the
 * service adds ({@link #registry()}). Served at /metrics on the management port by {@link
 * MetricsRoute}.
 */
public final class PlatformMetrics implements Extension {
  private static final Id ID = new Id();

  private final PrometheusMeterRegistry registry;

  private PlatformMetrics(ExtendedActorSystem system) {
    registry =
        PrometheusRegistries.create(
            "service", system.settings().config().getString("rampart.service"));
    Cluster cluster = Cluster.get(system);
    for (MemberStatus status :
        new MemberStatus[] {MemberStatus.up(), MemberStatus.joining(), MemberStatus.leaving()}) {
      Gauge.builder("akka_cluster_members", cluster, c -> count(c, status))
          .tag("status", status.toString().toLowerCase())
          .description("cluster members by status")
          .register(registry);
    }
    Gauge.builder(
            "akka_cluster_unreachable_members", cluster, c -> c.state().getUnreachable().size())
        .description("members this node sees as unreachable")
        .register(registry);
  }

  public static PlatformMetrics get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private static double count(Cluster cluster, MemberStatus status) {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .map(Member::status)
        .filter(status::equals)
        .count();
  }

  private static final class Id extends AbstractExtensionId<PlatformMetrics> {
    @Override
    public PlatformMetrics createExtension(ExtendedActorSystem system) {
      return new PlatformMetrics(system);
    }
  }
}
