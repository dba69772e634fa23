package dev.rampart.e2e.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Open-loop order traffic through the gateway: {@code ratePerSecond} placements a second, each sent
 * on schedule whether or not the earlier ones have answered (a closed loop would slow down exactly
 * when the system does, and hide the failures). Each request goes to one of the gateway addresses
 * {@code gateways} gives, re-read about every second, as an ingress in front of the gateway's Ready
 * endpoints would do. Every answer is recorded: status, Retry-After, latency.
 */
public final class OrderTraffic implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration GATEWAYS_REFRESH = Duration.ofSeconds(1);

  /** The summary lists at most this many failed requests one by one. */
  private static final int MAX_LISTED = 200;

  /**
   * One placement as the client saw it; {@code status} -1: no HTTP answer ({@code body} says why).
   */
  public record Outcome(
      long sequence,
      String userId,
      String orderKey,
      Instant sentAt,
      int status,
      boolean retryAfter,
      Duration latency,
      String orderId,
      String body) {
    boolean acknowledged() {
      return status == 200 || status == 201;
    }
  }

  /** What the traffic saw, once it stopped. */
  public record Report(List<Outcome> outcomes) {
    public int sent() {
      return outcomes.size();
    }

    public List<Outcome> ok() {
      return outcomes.stream().filter(Outcome::acknowledged).toList();
    }

    public List<Outcome> serverErrors() {
      return outcomes.stream().filter(o -> o.status() >= 500).toList();
    }

    public List<Outcome> clientErrors() {
      return outcomes.stream().filter(o -> o.status() >= 400 && o.status() < 500).toList();
    }

    /** Requests without an HTTP answer (connection refused or reset, timeout). */
    public List<Outcome> unanswered() {
      return outcomes.stream().filter(o -> o.status() < 0).toList();
    }

    /** Acknowledged order ids (the gateway's, scoped to the customer) and their customers. */
    public Map<String, String> acknowledged() {
      return ok().stream()
          .collect(Collectors.toMap(Outcome::orderId, Outcome::userId, (a, b) -> a));
    }

    public Duration maxLatency() {
      return ok().stream()
          .map(Outcome::latency)
          .max(Comparator.naturalOrder())
          .orElse(Duration.ZERO);
    }

    /** A line of figures, then one line per request that did not get a 2xx. */
    public String summary() {
      StringBuilder out =
          new StringBuilder()
              .append("sent ")
              .append(sent())
              .append(", 2xx ")
              .append(ok().size())
              .append(", 4xx ")
              .append(clientErrors().size())
              .append(", 5xx ")
              .append(serverErrors().size())
              .append(", no answer ")
              .append(unanswered().size())
              .append(", slowest 2xx ")
              .append(maxLatency().toMillis())
              .append(" ms");
      Map<String, Long> byStatus =
          outcomes.stream()
              .filter(o -> !o.acknowledged())
              .collect(
                  Collectors.groupingBy(
                      o ->
                          (o.status() < 0 ? "no answer" : String.valueOf(o.status()))
                              + (o.retryAfter() ? " with Retry-After" : ""),
                      java.util.TreeMap::new,
                      Collectors.counting()));
      if (!byStatus.isEmpty()) {
        out.append("; not 2xx by status: ").append(byStatus);
      }
      outcomes.stream()
          .filter(o -> !o.acknowledged())
          .limit(MAX_LISTED)
          .forEach(
              o ->
                  out.append("\n    ")
                      .append(o.sentAt())
                      .append(' ')
                      .append(o.orderKey())
                      .append(": ")
                      .append(o.status() < 0 ? "no answer" : "HTTP " + o.status())
                      .append(o.retryAfter() ? " (Retry-After)" : "")
                      .append(" after ")
                      .append(o.latency().toMillis())
                      .append(" ms ")
                      .append(o.body()));
      long unlisted = outcomes.stream().filter(o -> !o.acknowledged()).count() - MAX_LISTED;
      if (unlisted > 0) {
        out.append("\n    ... and ").append(unlisted).append(" more");
      }
      return out.toString();
    }
  }

  private final Supplier<List<URI>> gateways;
  private final Map<String, String> tokens;
  private final List<String> users;
  private final String keyPrefix;
  private final HttpClient http;
  private final ExecutorService requests = Executors.newCachedThreadPool();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
  private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile List<URI> addresses = List.of();

  /**
   * Starts sending at once. {@code tokens}: user id → bearer token of registered users (orders go
   * to them in turn); {@code keyPrefix} makes this run's order keys unique.
   */
  public static OrderTraffic start(
      Supplier<List<URI>> gateways,
      Map<String, String> tokens,
      String keyPrefix,
      double ratePerSecond) {
    return new OrderTraffic(gateways, tokens, keyPrefix, ratePerSecond);
  }

  private OrderTraffic(
      Supplier<List<URI>> gateways,
      Map<String, String> tokens,
      String keyPrefix,
      double ratePerSecond) {
    this.gateways = gateways;
    this.tokens = Map.copyOf(tokens);
    this.users = tokens.keySet().stream().sorted().toList();
    this.keyPrefix = keyPrefix;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    refreshGateways();
    clock.scheduleWithFixedDelay(
        this::refreshGateways,
        GATEWAYS_REFRESH.toMillis(),
        GATEWAYS_REFRESH.toMillis(),
        TimeUnit.MILLISECONDS);
    long periodMicros = Math.round(1_000_000 / ratePerSecond);
    clock.scheduleAtFixedRate(this::sendNext, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void refreshGateways() {
    try {
      addresses = List.copyOf(gateways.get());
    } catch (RuntimeException e) {
      // keep the last known addresses: the API server may be busy for a moment
    }
  }

  private void sendNext() {
    try {
      requests.execute(this::placeOne);
    } catch (RejectedExecutionException stopping) {
      // stop() came between two ticks
    }
  }

  private void placeOne() {
    long n = sequence.incrementAndGet();
    String userId = users.get((int) (n % users.size()));
    String orderKey = keyPrefix + "-" + n;
    Instant sentAt = Instant.now();
    long started = System.nanoTime();
    List<URI> known = addresses;
    if (known.isEmpty()) {
      outcomes.add(
          new Outcome(
              n, userId, orderKey, sentAt, -1, false, Duration.ZERO, "", "no Ready gateway"));
      return;
    }
    URI base = known.get((int) (n % known.size()));
    try {
      String body =
          JSON.writeValueAsString(
              Map.of(
                  "orderId",
                  orderKey,
                  "lines",
                  List.of(Map.of("sku", "book", "quantity", 1, "unitPriceCents", 1000))));
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve("/api/orders"))
              .timeout(REQUEST_TIMEOUT)
              .header("Accept", "application/json")
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + tokens.get(userId))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      String orderId = "";
      if (response.statusCode() / 100 == 2) {
        JsonNode json = JSON.readTree(response.body());
        orderId = json.path("id").asText();
      }
      outcomes.add(
          new Outcome(
              n,
              userId,
              orderKey,
              sentAt,
              response.statusCode(),
              response.headers().firstValue("Retry-After").isPresent(),
              latency,
              orderId,
              response.statusCode() / 100 == 2 ? "" : response.body() + " from " + base));
    } catch (IOException e) {
      outcomes.add(
          new Outcome(
              n,
              userId,
              orderKey,
              sentAt,
              -1,
              false,
              Duration.ofNanos(System.nanoTime() - started),
              "",
              e + " from " + base));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What has answered so far (the traffic goes on). */
  public Report snapshot() {
    List<Outcome> all = new ArrayList<>(outcomes);
    all.sort(Comparator.comparingLong(Outcome::sequence));
    return new Report(List.copyOf(all));
  }

  /** Stops sending, lets the requests in flight answer (or time out), and reports. */
  public Report stop() {
    clock.shutdownNow();
    requests.shutdown();
    try {
      if (!requests.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        requests.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return snapshot();
  }

  @Override
  public void close() {
    clock.shutdownNow();
    requests.shutdownNow();
  }
}
