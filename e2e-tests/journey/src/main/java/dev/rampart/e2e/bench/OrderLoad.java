package dev.rampart.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline's load: customers registered through the gateway, each watching its notification
 * WebSocket, placing orders at an open-loop rate. An order is recorded when its OrderRecorded
 * notification arrives on the WebSocket, or (checked once the pipeline has drained) when it is in
 * the customer's history.
 */
final class OrderLoad implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private final URI gateway;
  private final List<String> customers = new ArrayList<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Scoped order id → due time of its POST, for the orders of the current round. */
  private final Map<String, Long> due = new ConcurrentHashMap<>();

  /** Scoped order ids seen recorded on a WebSocket. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  private volatile Latencies recordedLatencies = new Latencies();

  /** One timed run at one rate. */
  record Round(
      int rate,
      double seconds,
      double achievedSendRate,
      int sent,
      int accepted,
      Map<String, Integer> statuses,
      Latencies created,
      Latencies recorded,
      int recordedOfAccepted,
      int recordedOnlyInHistory,
      long historyGrowth,
      int recordedNotAccepted) {}

  OrderLoad(URI gateway, LocalJwtIssuer jwt, String runId, int customerCount) {
    this.gateway = gateway;
    for (int i = 0; i < customerCount; i++) {
      String id = runId + "-c" + i;
      customers.add(id);
      tokens.put(id, jwt.tokenFor(id));
    }
  }

  /** Registers the customers, opens their WebSockets, and waits until one order each is seen. */
  void prepare(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    String registration =
        "{\"name\":\"Bench\",\"email\":\"bench@example.com\",\"address\":{\"street\":\"1 Main"
            + " St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"US\"}}";
    for (String customer : customers) {
      while (post("/api/users", customer, registration) != 201) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot register " + customer + " through the gateway");
        }
        Thread.sleep(500);
      }
    }
    for (String customer : customers) {
      sockets.add(
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + tokens.get(customer))
              .buildAsync(
                  URI.create(gateway.toString().replaceFirst("^http", "ws"))
                      .resolve("/api/users/" + customer + "/notifications"),
                  new Listener())
              .join());
    }
    // the subscriptions reach the User service's pub-sub some time after the upgrade: place one
    // order each (again, with a new key, until it is seen) so every socket is proven live
    Map<String, String> probe = new ConcurrentHashMap<>();
    for (int attempt = 0; ; attempt++) {
      for (String customer : customers) {
        if (probe.containsKey(customer) && seen.contains(probe.get(customer))) {
          continue;
        }
        String key = "warm-" + attempt;
        probe.put(customer, scoped(customer, key));
        post("/api/orders", customer, order(key, 0));
      }
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!customers.stream().allMatch(c -> seen.contains(probe.get(c)))
          && System.nanoTime() < waitUntil) {
        Thread.sleep(50);
      }
      if (customers.stream().allMatch(c -> seen.contains(probe.get(c)))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("orders are not seen recorded on every WebSocket");
      }
    }
  }

  /** Places rate × duration orders open-loop, then waits up to {@code drain} for them to record. */
  Round run(String label, int rate, Duration duration, Duration drain) throws InterruptedException {
    due.clear();
    seen.clear();
    Latencies created = new Latencies();
    Latencies recorded = new Latencies();
    recordedLatencies = recorded;
    long historyBefore = historySize();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Map<String, String> customerOf = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    long started = System.nanoTime();
    double achieved =
        OpenLoop.run(
            rate,
            duration,
            (i, dueNanos) -> {
              String customer = customers.get(i % customers.size());
              String key = label + "-" + i;
              String id = scoped(customer, key);
              customerOf.put(id, customer);
              due.put(id, dueNanos);
              sent.incrementAndGet();
              outstanding.incrementAndGet();
              http.sendAsync(
                      request("/api/orders", customer)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(order(key, i)))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .whenComplete(
                      (response, failure) -> {
                        int status = failure == null ? response.statusCode() : -1;
                        // a failed request counts under its exception (timeout, reset...)
                        String outcome =
                            failure == null ? Integer.toString(status) : cause(failure);
                        statuses
                            .computeIfAbsent(outcome, s -> new AtomicInteger())
                            .incrementAndGet();
                        if (status == 201) {
                          created.add((System.nanoTime() - dueNanos) / 1000);
                          accepted.add(id);
                        }
                        outstanding.decrementAndGet();
                      });
            });
    double seconds = (System.nanoTime() - started) / 1e9;
    long deadline = System.nanoTime() + drain.toNanos() + REQUEST_TIMEOUT.toNanos();
    while ((outstanding.get() > 0 || !seen.containsAll(accepted)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // orders whose notification did not arrive (or not yet): look for them in the history
    int onlyInHistory = 0;
    Set<String> missing = new java.util.HashSet<>(accepted);
    missing.removeAll(seen);
    Map<String, Set<String>> inView = new ConcurrentHashMap<>();
    for (String id : missing) {
      String customer = customerOf.get(id);
      Set<String> view = inView.computeIfAbsent(customer, this::historyView);
      if (view.contains(id)) {
        onlyInHistory++;
      }
    }
    int recordedOfAccepted = 0;
    for (String id : accepted) {
      if (seen.contains(id)) {
        recordedOfAccepted++;
      }
    }
    int recordedNotAccepted = 0;
    for (String id : seen) {
      // a POST that timed out (or failed) whose order went through all the same
      if (due.containsKey(id) && !accepted.contains(id)) {
        recordedNotAccepted++;
      }
    }
    Map<String, Integer> byStatus = new TreeMap<>();
    statuses.forEach((s, n) -> byStatus.put(s, n.get()));
    return new Round(
        rate,
        seconds,
        achieved,
        sent.get(),
        accepted.size(),
        byStatus,
        created,
        recorded,
        recordedOfAccepted + onlyInHistory,
        onlyInHistory,
        historySize() - historyBefore,
        recordedNotAccepted);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.nanoTime();
        try {
          JsonNode n = JSON.readTree(partial.toString());
          if (n.path("kind").asText().equals("orderRecorded")) {
            String id = n.path("orderRecorded").path("orderId").asText();
            Long dueNanos = due.get(id);
            if (seen.add(id) && dueNanos != null) {
              recordedLatencies.add((now - dueNanos) / 1000);
            }
          }
        } catch (IOException e) {
          // not a notification this benchmark measures
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** The number of orders in every customer's history (orderCount counts the whole history). */
  private long historySize() {
    long total = 0;
    for (String customer : customers) {
      total += getUser(customer).path("orderCount").asLong();
    }
    return total;
  }

  /** The ids of the newest orders of the customer's history (the reply's bounded view). */
  private Set<String> historyView(String customer) {
    Set<String> ids = new java.util.HashSet<>();
    for (JsonNode o : getUser(customer).path("orders")) {
      ids.add(o.path("orderId").asText());
    }
    return ids;
  }

  private JsonNode getUser(String customer) {
    try {
      HttpResponse<String> r =
          http.send(
              request("/api/users/" + customer, customer).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /api/users/" + customer + ": HTTP " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET /api/users/" + customer + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int post(String path, String customer, String body) throws InterruptedException {
    try {
      return http.send(
              request(path, customer)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private HttpRequest.Builder request(String path, String customer) {
    return HttpRequest.newBuilder(gateway.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + tokens.get(customer));
  }

  private static String cause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t instanceof java.util.concurrent.CompletionException) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  private static String order(String key, int i) {
    return "{\"orderId\":\""
        + key
        + "\",\"lines\":[{\"sku\":\"SKU-"
        + (i % 7)
        + "\",\"quantity\":2,\"unitPriceCents\":1250}]}";
  }

  /**
   * The order id the gateway derives from the customer and the client's key (the gateway's
   * OrderIds: base64url of SHA-256 of "customer:key"), so a notification that overtakes its 201 is
   * still matched to its POST.
   */
  static String scoped(String customer, String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((customer + ":" + key).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    sockets.forEach(WebSocket::abort);
  }
}
