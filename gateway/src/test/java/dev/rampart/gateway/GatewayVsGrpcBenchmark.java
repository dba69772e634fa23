package dev.rampart.gateway;

import akka.actor.ActorSystem;
import akka.grpc.GrpcClientSettings;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * P4: the same call (get a user) through the gateway (HTTP/JSON, JWT verified per request) and
 * directly to the service (gRPC), same run, same closed-loop load (N concurrent callers, each
 * sending its next request when the previous answered). Rounds alternate so both sides see the same
 * machine. Prints p50/p99 and throughput for both and their ratios, and writes
 * gateway/target/benchmarks/p4-gateway-vs-grpc-{fake,real}.json.
 *
 * <p>Run: see gateway/README.md (a main, not a test). Args: [concurrency] [seconds per round]
 * [rounds] [fake|real]: the upstream is the in-memory fake (gateway overhead alone) or the real
 * User service in its own JVM.
 */
public final class GatewayVsGrpcBenchmark {
  record Result(String name, Histogram latencyMicros, long requests, long errors, double seconds) {
    double throughput() {
      return requests / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    boolean real = args.length > 3 && args[3].equals("real");
    RealServiceJvm realUser = real ? RealServiceJvm.user() : null;
    try (GatewayHarness h =
        new GatewayHarness(
            c ->
                new GatewayConfig(
                    c.httpHost(),
                    0,
                    c.routes(),
                    c.peerDiscoveryNames(),
                    real
                        ? Map.of(
                            "user",
                            List.of(realUser.endpoint()),
                            "order",
                            c.peerEndpoints().get("order"))
                        : c.peerEndpoints(),
                    c.jwt(),
                    new GatewayConfig.RateLimit(1_000_000, 1_000_000),
                    c.corsAllowedOrigins(),
                    c.maxBodyBytes(),
                    c.deadlines(),
                    c.breaker(),
                    c.kubernetesApi()))) {
      String token = h.keys.token("bench");
      // ready when the (fake or real) User service answers through the gateway
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  h.post("/api/users", token, GatewayHarness.registration("bench", "Bench"))
                          .statusCode()
                      == 201);
      String upstreamHost = real ? realUser.endpoint().host() : "127.0.0.1";
      int upstreamPort =
          real ? realUser.endpoint().port() : h.upstreams.userBinding.localAddress().getPort();
      String upstreamKind =
          real
              ? "real User service (own JVM, H2 journal)"
              : "in-memory fake UserService (same JVM)";
      ActorSystem clientSystem =
          ActorSystem.create(
              "bench-client",
              ConfigFactory.parseString(
                      "akka.loglevel = WARNING\nakka.coordinated-shutdown.exit-jvm = off")
                  .withFallback(ConfigFactory.load()));
      try {
        UserServiceClient grpc =
            UserServiceClient.create(
                GrpcClientSettings.connectToServiceAt(upstreamHost, upstreamPort, clientSystem)
                    .withTls(false),
                clientSystem);
        Http http = Http.get(clientSystem);
        ConnectionPoolSettings pool =
            ConnectionPoolSettings.create(clientSystem)
                .withMaxConnections(concurrency)
                .withMaxOpenRequests(Integer.highestOneBit(concurrency * 4) * 2);
        HttpRequest getUser =
            HttpRequest.GET("http://127.0.0.1:" + h.gateway.port() + "/api/users/bench")
                .addHeader(RawHeader.create("Authorization", "Bearer " + token));
        GetUserRequest grpcGetUser = GetUserRequest.newBuilder().setUserId("bench").build();

        Supplier<CompletionStage<Boolean>> viaGrpc =
            () -> grpc.getUser(grpcGetUser).thenApply(u -> u.getUserId().equals("bench"));
        Supplier<CompletionStage<Boolean>> viaGateway =
            () ->
                http.singleRequest(
                        getUser, http.defaultClientHttpsContext(), pool, clientSystem.log())
                    .thenCompose(
                        r ->
                            r.entity()
                                .toStrict(5_000, clientSystem)
                                .thenApply(e -> r.status().intValue() == 200));

        // warm-up: JIT, connections
        run("warm-up grpc", viaGrpc, concurrency, 3);
        run("warm-up gateway", viaGateway, concurrency, 3);
        List<Result> grpcRounds = new ArrayList<>();
        List<Result> gatewayRounds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          grpcRounds.add(run("grpc-direct", viaGrpc, concurrency, seconds));
          gatewayRounds.add(run("gateway-http", viaGateway, concurrency, seconds));
        }
        Result direct = merge("grpc-direct", grpcRounds);
        Result gateway = merge("gateway-http", gatewayRounds);
        report(direct, gateway, concurrency, seconds, rounds, upstreamKind, real ? "real" : "fake");
        grpc.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } finally {
        clientSystem.terminate();
        clientSystem.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    } finally {
      if (realUser != null) realUser.close();
    }
  }

  static Result run(
      String name, Supplier<CompletionStage<Boolean>> call, int concurrency, int seconds)
      throws Exception {
    ConcurrentHistogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<CompletableFuture<Void>> callers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop(call, end, latencies, ok, errors, done);
      callers.add(done);
    }
    CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new))
        .get(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    Result r = new Result(name, latencies, ok.get(), errors.get(), elapsed);
    System.out.printf(
        "%-16s %8d req %6d err  %9.0f req/s  p50 %6d us  p99 %6d us%n",
        name,
        r.requests(),
        r.errors(),
        r.throughput(),
        latencies.getValueAtPercentile(50),
        latencies.getValueAtPercentile(99));
    return r;
  }

  private static void loop(
      Supplier<CompletionStage<Boolean>> call,
      long end,
      Histogram latencies,
      AtomicLong ok,
      AtomicLong errors,
      CompletableFuture<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete(null);
      return;
    }
    long t0 = System.nanoTime();
    call.get()
        .whenComplete(
            (success, failure) -> {
              if (failure == null && Boolean.TRUE.equals(success)) {
                latencies.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                ok.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
              loop(call, end, latencies, ok, errors, done);
            });
  }

  private static Result merge(String name, List<Result> rounds) {
    Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long requests = 0;
    long errors = 0;
    double seconds = 0;
    for (Result r : rounds) {
      all.add(r.latencyMicros());
      requests += r.requests();
      errors += r.errors();
      seconds += r.seconds();
    }
    return new Result(name, all, requests, errors, seconds);
  }

  private static void report(
      Result direct,
      Result gateway,
      int concurrency,
      int seconds,
      int rounds,
      String upstream,
      String mode)
      throws Exception {
    double p50Ratio =
        (double) gateway.latencyMicros().getValueAtPercentile(50)
            / direct.latencyMicros().getValueAtPercentile(50);
    double p99Ratio =
        (double) gateway.latencyMicros().getValueAtPercentile(99)
            / direct.latencyMicros().getValueAtPercentile(99);
    double throughputRatio = gateway.throughput() / direct.throughput();
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = json.createObjectNode();
    doc.put("benchmark", "P4 gateway HTTP/JSON vs direct gRPC (UserService.GetUser)");
    doc.put("at", Instant.now().toString());
    doc.put("upstream", upstream);
    doc.put("cores", Runtime.getRuntime().availableProcessors());
    doc.put(
        "loadAverageAtEnd",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    doc.put("concurrency", concurrency);
    doc.put("secondsPerRound", seconds);
    doc.put("rounds", rounds);
    for (Result r : List.of(direct, gateway)) {
      ObjectNode n = doc.putObject(r.name());
      n.put("requests", r.requests());
      n.put("errors", r.errors());
      n.put("throughputPerSecond", Math.round(r.throughput()));
      n.put("p50Micros", r.latencyMicros().getValueAtPercentile(50));
      n.put("p99Micros", r.latencyMicros().getValueAtPercentile(99));
      n.put("maxMicros", r.latencyMicros().getMaxValue());
    }
    ObjectNode ratios = doc.putObject("ratios");
    ratios.put("p50LatencyGatewayOverDirect", round(p50Ratio));
    ratios.put("p99LatencyGatewayOverDirect", round(p99Ratio));
    ratios.put("throughputGatewayOverDirect", round(throughputRatio));
    ObjectNode goal = doc.putObject("goal");
    goal.put("latencyRatioAtMost", 1.3);
    goal.put("throughputRatioAtLeast", 0.75);
    goal.put("met", p50Ratio <= 1.3 && p99Ratio <= 1.3 && throughputRatio >= 0.75);
    // gateway/target/benchmarks whether started from the repository root or from the module
    String defaultDir =
        Files.isDirectory(Path.of("gateway", "src"))
            ? "gateway/target/benchmarks"
            : "target/benchmarks";
    Path out = Path.of(System.getProperty("rampart.benchmarks.dir", defaultDir));
    Files.createDirectories(out);
    Path file = out.resolve("p4-gateway-vs-grpc-" + mode + ".json");
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    System.out.println("written to " + file.toAbsolutePath());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
