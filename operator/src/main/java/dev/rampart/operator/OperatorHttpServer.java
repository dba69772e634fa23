package dev.rampart.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Health probes and metrics: /healthz (process alive), /readyz (started and every informer
 * healthy), /metrics (Prometheus). A standby replica waiting for the leader lease is ready too: its
 * informers are started and warm so it can take over at once, and a standby that never became ready
 * would stall every rollout of a two-replica Deployment.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final List<HttpServer> servers = new ArrayList<>();

  /**
   * Binds host:port; host is the pod IP in a pod (never every interface of a shared node), 0.0.0.0
   * elsewhere.
   */
  public OperatorHttpServer(
      String host, int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    this(List.of(host), port, operator, registry);
  }

  /**
   * Binds each host at one port (the first host's, when port is 0): in a pod, the pod IP and the
   * pod's localhost ({@link dev.rampart.contract.Localhost}), where {@code kubectl port-forward}
   * connects.
   */
  public OperatorHttpServer(
      List<String> hosts, int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    try {
      for (String host : hosts) {
        int bindPort = servers.isEmpty() ? port : port();
        HttpServer server = HttpServer.create(new InetSocketAddress(host, bindPort), 0);
        servers.add(server);
        serve(server, operator, registry);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static void serve(
      HttpServer server, Operator operator, PrometheusMeterRegistry registry) {
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
    return servers.get(0).getAddress().getPort();
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
    servers.forEach(server -> server.stop(0));
  }
}
