package dev.rampart.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.contract.Env;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * P5: the order pipeline at a fixed arrival rate. POST /api/orders through the gateway (real Order
 * service, own JVM) → Order publishes to Kafka order-events (real broker, own JVM) → the real User
 * service consumes it and records the order in the user's history, which it announces as an
 * OrderRecorded notification; the benchmark watches every customer's WebSocket through the gateway
 * and measures POST-sent → recorded. At the end every order is checked in GET /api/users/{id}.
 * Writes gateway/target/benchmarks/p5-order-pipeline.json.
 *
 * <p>Needs the Order service built: {@code mvn -pl services/order -am package -DskipTests} (it runs
 * from services/order/target/classes + runtime.classpath). Args: [orders per second] [seconds]
 * [customers].
 */
public final class OrderPipelineBenchmark {
  static final String ORDER_HOST = "127.0.0.78";

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int customers = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    Path repo = repoRoot();
    try (KafkaBroker kafka = KafkaBroker.start()) {
      kafka.createTopic("order-events", 4);
      kafka.createTopic("order-events-public", 4);
      RealUserService user =
          RealUserService.start(
              Map.of(
                  Env.KAFKA_BOOTSTRAP_SERVERS,
                  kafka.bootstrapServers(),
                  Env.KAFKA_CONSUMES,
                  "order-events"));
      ManagedProcess order = null;
      try {
        int orderGrpc = FreePorts.on(ORDER_HOST);
        order = startOrderService(repo, orderGrpc, user.endpoint(), kafka.bootstrapServers());
        GatewayConfig.HostPort orderEndpoint = new GatewayConfig.HostPort(ORDER_HOST, orderGrpc);
        try (GatewayHarness h =
            new GatewayHarness(
                c ->
                    new GatewayConfig(
                        c.httpHost(),
                        0,
                        c.routes(),
                        c.peerDiscoveryNames(),
                        Map.of("user", List.of(user.endpoint()), "order", List.of(orderEndpoint)),
                        c.jwt(),
                        new GatewayConfig.RateLimit(1_000_000, 1_000_000),
                        c.corsAllowedOrigins(),
                        c.maxBodyBytes(),
                        new GatewayConfig.Deadlines(Duration.ofSeconds(5), Duration.ofSeconds(10)),
                        c.breaker(),
                        c.kubernetesApi()))) {
          run(h, rate, seconds, customers);
        }
      } finally {
        if (order != null) order.close();
        user.close();
      }
    }
  }

  static void run(GatewayHarness h, int rate, int seconds, int customers) throws Exception {
    Map<String, String> tokens = new HashMap<>();
    for (int i = 0; i < customers; i++)
      tokens.put("p5-customer-" + i, h.keys.token("p5-customer-" + i));
    // register everyone (waits until the services answer)
    for (Map.Entry<String, String> c : tokens.entrySet()) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  h.post("/api/users", c.getValue(), GatewayHarness.registration(c.getKey(), "P5"))
                          .statusCode()
                      == 201);
    }
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    ConcurrentHistogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
    Map<String, Boolean> recorded = new ConcurrentHashMap<>();
    List<WebSocket> sockets = new ArrayList<>();
    for (Map.Entry<String, String> c : tokens.entrySet()) {
      sockets.add(
          h.http
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + c.getValue())
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:"
                          + h.gateway.port()
                          + "/api/users/"
                          + c.getKey()
                          + "/notifications"),
                  new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                        WebSocket ws, CharSequence data, boolean last) {
                      partial.append(data);
                      if (last) {
                        long now = System.nanoTime();
                        try {
                          JsonNode n = GatewayHarness.JSON.readTree(partial.toString());
                          if (n.path("kind").asText().equals("orderRecorded")) {
                            String orderId = n.path("orderRecorded").path("orderId").asText();
                            Long t0 = sentAt.get(orderId);
                            if (t0 != null && recorded.putIfAbsent(orderId, true) == null)
                              latencies.recordValue(Math.max(1, (now - t0) / 1_000));
                          }
                        } catch (Exception ignored) {
                          // not a notification we measure
                        }
                        partial.setLength(0);
                      }
                      ws.request(1);
                      return null;
                    }
                  })
              .get(20, TimeUnit.SECONDS));
    }
    Thread.sleep(3_000); // subscriptions reach the service's pub-sub (see RealUserServiceTest)

    // warm-up: the pipeline (JIT, Kafka producer/consumer, projections) carries orders before the
    // timed run
    Set<String> warmIds = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 10; i++) {
      String customer = "p5-customer-" + (i % customers);
      warmIds.add(OrderIds.scoped(customer, "warm-" + i));
      h.post("/api/orders", tokens.get(customer), GatewayHarness.order("warm-" + i, "SKU-W"));
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              int seen = 0;
              for (String customer : tokens.keySet())
                for (JsonNode o :
                    GatewayHarness.json(h.get("/api/users/" + customer, tokens.get(customer)))
                        .path("orders")) if (warmIds.contains(o.path("orderId").asText())) seen++;
              return seen >= 10;
            });

    int total = rate * seconds;
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    long[] lastSentAt = new long[1];
    CountDownLatch done = new CountDownLatch(total);
    List<String> customerIds = new ArrayList<>(tokens.keySet());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger next = new AtomicInteger();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    ticker.scheduleAtFixedRate(
        () -> {
          int i = next.getAndIncrement();
          if (i >= total) return;
          lastSentAt[0] = System.nanoTime();
          String customer = customerIds.get(i % customerIds.size());
          String orderId = "p5-" + i;
          sentAt.put(OrderIds.scoped(customer, orderId), System.nanoTime());
          h.http
              .sendAsync(
                  h.request("/api/orders", tokens.get(customer))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              GatewayHarness.order(orderId, "SKU-" + (i % 7))))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (r, t) -> {
                    statuses
                        .computeIfAbsent(t == null ? r.statusCode() : -1, k -> new AtomicInteger())
                        .incrementAndGet();
                    if (t == null && r.statusCode() == 201) accepted.incrementAndGet();
                    else rejected.incrementAndGet();
                    done.countDown();
                  });
        },
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
    done.await(seconds + 120L, TimeUnit.SECONDS);
    ticker.shutdownNow();
    double sendSeconds = (lastSentAt[0] - start) / 1e9;
    // wait for the pipeline to drain
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (recorded.size() < accepted.get() && System.nanoTime() < drainUntil) Thread.sleep(200);
    // every accepted order must be in its customer's history
    int inHistory = 0;
    for (String customer : customerIds) {
      JsonNode user = GatewayHarness.json(h.get("/api/users/" + customer, tokens.get(customer)));
      for (JsonNode o : user.path("orders"))
        if (sentAt.containsKey(o.path("orderId").asText())) inHistory++;
    }
    sockets.forEach(WebSocket::abort);

    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = json.createObjectNode();
    doc.put(
        "benchmark",
        "P5 order pipeline: POST /api/orders via gateway -> Order -> Kafka -> User history");
    doc.put("at", Instant.now().toString());
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    doc.put(
        "loadAverageAtEnd",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    doc.put("targetRatePerSecond", rate);
    doc.put("achievedSendRatePerSecond", Math.round(total / sendSeconds));
    doc.put("seconds", seconds);
    doc.put("customers", customers);
    doc.put("ordersSent", total);
    doc.put("ordersAccepted", accepted.get());
    doc.put("ordersRejected", rejected.get());
    doc.put("postStatuses", json.valueToTree(new java.util.TreeMap<>(statuses)).toString());
    doc.put("ordersSeenRecorded", recorded.size());
    doc.put("ordersInHistory", inHistory);
    doc.put("p50Micros", latencies.getValueAtPercentile(50));
    doc.put("p99Micros", latencies.getValueAtPercentile(99));
    doc.put("maxMicros", latencies.getMaxValue());
    String out = json.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    System.out.println(out);
    Path dir =
        Path.of(
            Files.isDirectory(Path.of("gateway", "src"))
                ? "gateway/target/benchmarks"
                : "target/benchmarks");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p5-order-pipeline.json"), out);
    System.out.println("written to " + dir.resolve("p5-order-pipeline.json").toAbsolutePath());
  }

  static ManagedProcess startOrderService(
      Path repo, int grpc, GatewayConfig.HostPort user, String kafka) throws Exception {
    Path module = repo.resolve("services/order/target");
    Path recorded = module.resolve("runtime.classpath");
    if (!Files.isRegularFile(recorded))
      throw new IllegalStateException(
          "build the Order service first: mvn -pl services/order -am package -DskipTests");
    String classpath =
        module.resolve("classes") + java.io.File.pathSeparator + Files.readString(recorded).trim();
    int management = FreePorts.on(ORDER_HOST);
    Map<String, String> env = new HashMap<>();
    env.put(Env.POD_IP, ORDER_HOST);
    env.put(Env.GRPC_PORT, String.valueOf(grpc));
    env.put(Env.MANAGEMENT_PORT, String.valueOf(management));
    env.put(Env.REMOTING_PORT, String.valueOf(FreePorts.on(ORDER_HOST)));
    env.put(Env.DISCOVERY_METHOD, Env.DISCOVERY_CONFIG);
    env.put(Env.CONTACT_POINTS, ORDER_HOST + ":" + management);
    env.put(Env.REQUIRED_CONTACT_POINTS, "1");
    env.put(Env.LOG_FORMAT, "text");
    // no Shipping in this benchmark: shipment creation retries in the background
    env.put(
        Env.PEER_ENDPOINTS,
        "user="
            + user.host()
            + ":"
            + user.port()
            + ",shipping=127.0.0.1:"
            + FreePorts.on("127.0.0.1"));
    env.put(Env.KAFKA_BOOTSTRAP_SERVERS, kafka);
    env.put(Env.KAFKA_PRODUCES, "order-events,order-events-public");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log =
        Path.of(
            Files.isDirectory(Path.of("gateway", "src")) ? "gateway/target" : "target",
            "real-services",
            "order-" + System.currentTimeMillis() + ".log");
    return ManagedProcess.start(
        "order-service",
        List.of(java, "-Xmx512m", "-cp", classpath, "dev.rampart.order.Main"),
        env,
        log);
  }

  /** The repository root: the nearest directory upwards with services/ and gateway/. */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null
        && !(Files.isDirectory(p.resolve("services")) && Files.isDirectory(p.resolve("gateway"))))
      p = p.getParent();
    if (p == null) throw new IllegalStateException("run from inside the repository");
    return p;
  }
}
