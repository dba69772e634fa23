package dev.rampart.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Health probes and metrics: /healthz (process alive), /readyz (started and every informer
 * healthy), /metrics (Prometheus). A standby replica waiting for the leader lease is ready too: its
 * informers are started and warm so it can take over at once, and a standby that never became ready
 * would stall every rollout of a two-replica Deployment.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * Binds host:port; host is the pod IP in a pod (never every interface of a shared node), 0.0.0.0
   * elsewhere.
   */
  public OperatorHttpServer(
      String host, int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/healthz", ex -> respond(ex, 200, "ok", "text/plain"));
    server.createContext(
        "/readyz",
        ex -> {
          var info = operator.getRuntimeInfo();
          boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
          respond(
              ex,
              ready ? 200 : 503,
              ready ? "ready" : "not ready: " + info.unhealthyEventSources(),
              "text/plain");
        });
    server.createContext(
        "/metrics", ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
