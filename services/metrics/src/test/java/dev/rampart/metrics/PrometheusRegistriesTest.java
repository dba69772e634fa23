package dev.rampart.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrometheusRegistriesTest {
  private static final Pattern BUCKET =
      Pattern.compile(
          "probe_calls_seconds_bucket\\{route=\"/x\",service=\"probe\",le=\"([0-9.]+)\"}"
              + " ([0-9.]+)");

  @Test
  void everyTimerHasHistogramBucketsAndTheProcessItsJvmMetrics() {
    var registry = PrometheusRegistries.create("service", "probe");
    Timer timer = Timer.builder("probe_calls").tag("route", "/x").register(registry);
    for (int ms = 1; ms <= 100; ms++) {
      timer.record(Duration.ofMillis(ms));
    }
    Counter.builder("probe_events").register(registry).increment();

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("probe_calls_seconds_bucket{route=\"/x\",service=\"probe\",le=\"0.001\"}")
        .contains("probe_calls_seconds_bucket{route=\"/x\",service=\"probe\",le=\"30.0\"} 100")
        .contains("probe_calls_seconds_bucket{route=\"/x\",service=\"probe\",le=\"+Inf\"} 100")
        .contains("jvm_memory_used_bytes{area=\"heap\",id=")
        .contains("jvm_gc_")
        .contains("process_cpu_usage")
        .contains("process_uptime_seconds");
    assertThat(scrape).doesNotContain("probe_events_total_bucket");
    // the median as histogram_quantile reads it: the first bucket holding half the calls
    double median =
        BUCKET
            .matcher(scrape)
            .results()
            .filter(m -> Double.parseDouble(m.group(2)) >= 50)
            .mapToDouble(m -> Double.parseDouble(m.group(1)))
            .min()
            .orElseThrow();
    assertThat(median).isBetween(0.050, 0.060);
  }
}
