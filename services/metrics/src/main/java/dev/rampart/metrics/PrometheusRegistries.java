package dev.rampart.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The one Prometheus registry shape of every service and the gateway: JVM and process metrics, and
 * histogram buckets on every timer, so Prometheus computes p50/p90/p99 (any percentile, across
 * pods) with {@code histogram_quantile}. Pod-local percentiles could not be aggregated, and this
 * registry does not export them next to buckets.
 */
public final class PrometheusRegistries {
  /** Buckets from 1 ms to 30 s: the fastest call in-process to the longest gRPC deadline. */
  static final Duration MIN_EXPECTED = Duration.ofMillis(1);

  static final Duration MAX_EXPECTED = Duration.ofSeconds(30);

  private PrometheusRegistries() {}

  /** {@code commonTags}: key, value pairs on every meter, the JVM's included. */
  public static PrometheusMeterRegistry create(String... commonTags) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // before any meter: a filter applies only to meters registered after it
    registry.config().commonTags(commonTags).meterFilter(latencyDistributions());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  static MeterFilter latencyDistributions() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .minimumExpectedValue((double) MIN_EXPECTED.toNanos())
            .maximumExpectedValue((double) MAX_EXPECTED.toNanos())
            .build()
            .merge(config);
      }
    };
  }
}
