package dev.rampart.gateway;

import akka.pattern.CircuitBreaker;
import dev.rampart.metrics.PrometheusRegistries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus metrics: requests by route template, method and status; breaker states;
 * rejections; JVM and process metrics and timer histograms ({@link PrometheusRegistries}).
 */
final class GatewayMetrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
  private final PrometheusMeterRegistry registry = PrometheusRegistries.create();

  /**
   * Timers by route/method/status, looked up once (the registry's own lookup is costly per
   * request).
   */
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  void request(String route, String method, int status, long nanos) {
    String m = KNOWN_METHODS.contains(method) ? method : "OTHER";
    timers
        .computeIfAbsent(
            route + ' ' + m + ' ' + status,
            k ->
                Timer.builder("gateway_http_requests")
                    .description("HTTP requests served by the gateway")
                    .tag("route", route)
                    .tag("method", m)
                    .tag("status", String.valueOf(status))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One finished upstream call: its gRPC status code (OK, NOT_FOUND, ...) or why it did not get
   * one.
   */
  void upstreamCall(String upstream, String outcome, long nanos) {
    timers
        .computeIfAbsent(
            "upstream " + upstream + ' ' + outcome,
            k ->
                Timer.builder("gateway_upstream_calls")
                    .description("gRPC calls from the gateway to its upstreams")
                    .tag("upstream", upstream)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One more try of an upstream call that failed with UNAVAILABLE. */
  void upstreamRetry(String upstream) {
    Counter.builder("gateway_upstream_retries")
        .description("upstream calls tried again on another endpoint after UNAVAILABLE")
        .tag("upstream", upstream)
        .register(registry)
        .increment();
  }

  /** One egress call: the endpoint's name (or {@code unknown}) and the status class, e.g. 2xx. */
  void egress(String endpoint, int status, long nanos) {
    String statusClass = (status / 100) + "xx";
    timers
        .computeIfAbsent(
            "egress " + endpoint + ' ' + statusClass,
            k ->
                Timer.builder("gateway_egress_requests")
                    .description("calls forwarded by the egress to external endpoints")
                    .tag("egress", endpoint)
                    .tag("status", statusClass)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void rateLimited() {
    Counter.builder("gateway_rate_limited")
        .description("requests answered 429")
        .register(registry)
        .increment();
  }

  void breakerState(String upstream, CircuitBreaker breaker) {
    Gauge.builder("gateway_upstream_circuit_open", breaker, b -> b.isOpen() ? 1 : 0)
        .description("1 while the upstream's circuit breaker is open")
        .tag("upstream", upstream)
        .register(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
