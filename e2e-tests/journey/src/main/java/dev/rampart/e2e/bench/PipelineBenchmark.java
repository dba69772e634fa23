package dev.rampart.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.e2e.local.LocalServices;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The order pipeline benchmark (bash e2e-tests/bin/bench-pipeline): the shop on this machine —
 * Order, User, Shipping and the gateway as JVMs of their own, PostgreSQL, a Kafka broker JVM — with
 * open-loop POST /api/orders at each rate, measuring POST → 201 and POST → recorded (the order's
 * OrderRecorded on the customer's WebSocket, or its place in the history), checking every accepted
 * order is recorded, and the CPU time every process spent per order. Beside it, in the same run and
 * at the same rates, the floors: a plain Kafka producer → consumer on the same broker and a plain
 * JDBC insert + commit on the same PostgreSQL.
 */
public final class PipelineBenchmark {
  static final List<String> SERVICES = List.of("order", "user", "shipping", "gateway");
  static final List<String> PIPELINE_GROUPS =
      List.of("order", "user", "shipping", "gateway", "kafka", "pg-services", "pg-background");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchSettings settings =
        BenchSettings.parse(
            args,
            System.getenv(),
            RepoPaths.root().resolve("target/benchmarks/bench-pipeline.json"));
    ObjectNode report = run(settings, message -> System.out.println("==> " + message));
    System.out.println(Table.of(report));
    System.out.println("==> written to " + settings.output().toAbsolutePath());
    if (report.path("mismatch").asBoolean()) {
      System.out.println(
          "!!! MISMATCH: some accepted orders were not recorded (see the table) !!!");
      System.exit(2);
    }
    System.exit(0);
  }

  /** Runs the benchmark, writes the JSON report and returns it. */
  public static ObjectNode run(BenchSettings settings, java.util.function.Consumer<String> progress)
      throws Exception {
    ObjectNode report = JSON.createObjectNode();
    report.put(
        "benchmark",
        "order pipeline: POST /api/orders via gateway -> Order -> Kafka -> User history ->"
            + " WebSocket, on PostgreSQL; floors: Kafka producer->consumer, JDBC insert+commit");
    report.put("at", Instant.now().toString());
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("loadAverageAtStart", ProcFs.loadAverage());
    report.set("settings", JSON.valueToTree(settings));
    ArrayNode rates = report.putArray("rates");
    boolean mismatch = false;
    TestDatabase floorDb = Postgres.shared().createDatabase("bench_floor");
    LocalServices.Jvm jvm = new LocalServices.Jvm(settings.jvmFlags(), settings.jvmExtra());
    try (LocalServices shop = LocalServices.start(1, jvm, progress);
        Connection pg = floorDb.connect();
        JdbcFloor jdbcFloor = new JdbcFloor(floorDb);
        KafkaFloor kafkaFloor = floorOf(shop);
        OrderLoad load =
            new OrderLoad(
                shop.gatewayUrl(),
                shop.jwt(),
                "b" + System.currentTimeMillis() % 100000,
                settings.customers())) {
      CpuMeter cpu = new CpuMeter(groups(shop, pg, floorDb));
      progress.accept(
          "registering " + settings.customers() + " customers, opening their WebSockets");
      load.prepare(Duration.ofMinutes(3));
      if (settings.warmupSeconds() > 0) {
        progress.accept(
            "warm-up: 20 orders/s for " + settings.warmupSeconds() + " s (not reported)");
        load.run(
            "warmup", 20, Duration.ofSeconds(settings.warmupSeconds()), Duration.ofSeconds(60));
        kafkaFloor.run(20, Duration.ofSeconds(3));
        jdbcFloor.run(20, Duration.ofSeconds(3));
      }
      progress.accept("idle: CPU of every process for 5 s without orders (after 10 s to settle)");
      // a measurement window, not synchronisation: Shipping and the projections finish the warm-up
      // first
      Thread.sleep(10_000);
      var idleBefore = cpu.snapshot();
      Thread.sleep(5_000);
      Map<String, Long> idle = CpuMeter.between(idleBefore, cpu.snapshot());
      ObjectNode idleNode = report.putObject("idleCpuMsPerSecond");
      PIPELINE_GROUPS.forEach(g -> idleNode.put(g, round1(idle.getOrDefault(g, 0L) / 5.0)));
      double idlePerSecond =
          PIPELINE_GROUPS.stream().mapToLong(g -> idle.getOrDefault(g, 0L)).sum() / 5.0;
      idleNode.put("total", round1(idlePerSecond));
      for (int rate : settings.rates()) {
        ObjectNode r = rates.addObject();
        r.put("rate", rate);
        r.put("loadAverageAtStart", ProcFs.loadAverage());
        ArrayNode pipelineRounds = r.putArray("pipelineRounds");
        Jfr jfr = rate == settings.jfrRate() ? Jfr.start(shop, SERVICES) : null;
        for (int round = 0; round < settings.rounds(); round++) {
          progress.accept(
              rate
                  + " orders/s, round "
                  + (round + 1)
                  + ": pipeline for "
                  + settings.seconds()
                  + " s");
          var before = cpu.snapshot();
          var pgBefore = PgCounters.of(pg, shop.databases());
          long started = System.nanoTime();
          OrderLoad.Round result =
              load.run(
                  "r" + rate + "-" + round,
                  rate,
                  Duration.ofSeconds(settings.seconds()),
                  Duration.ofSeconds(settings.drainSeconds()));
          Map<String, Long> spent = CpuMeter.between(before, cpu.snapshot());
          ObjectNode p =
              pipelineRound(result, spent, idlePerSecond, (System.nanoTime() - started) / 1e9);
          p.set(
              "postgresPerOrder",
              PgCounters.perOrder(
                  pgBefore,
                  PgCounters.of(pg, shop.databases()),
                  Math.max(1, Math.max(result.historyGrowth(), result.accepted()))));
          mismatch |= !p.path("recordedEqualsAccepted").asBoolean();
          pipelineRounds.add(p);
          progress.accept("  " + p);
        }
        if (jfr != null) {
          r.set("jfr", JSON.valueToTree(jfr.stop(settings.output().resolveSibling("jfr"), rate)));
        }
        ArrayNode kafkaRounds = r.putArray("kafkaFloorRounds");
        ArrayNode jdbcRounds = r.putArray("jdbcFloorRounds");
        Duration floorDuration = Duration.ofSeconds(settings.floorSeconds());
        for (int round = 0; round < settings.floorRounds(); round++) {
          progress.accept(rate + "/s floors, round " + (round + 1));
          var before = cpu.snapshot();
          FloorResult kafka = kafkaFloor.run(rate, floorDuration);
          Map<String, Long> spent = CpuMeter.between(before, cpu.snapshot());
          kafkaRounds.add(floorRound(kafka, spent, List.of("kafka", "bench")));
          before = cpu.snapshot();
          FloorResult jdbc = jdbcFloor.run(rate, floorDuration);
          spent = CpuMeter.between(before, cpu.snapshot());
          jdbcRounds.add(floorRound(jdbc, spent, List.of("pg-floor", "pg-background", "bench")));
        }
        ObjectNode rss = r.putObject("residentMib");
        for (String service : SERVICES) {
          rss.put(service, round1(ProcFs.rssMib(shop.nodes(service).get(0).process().pid())));
        }
        rss.put("kafka", round1(ProcFs.rssMib(shop.kafka().pid())));
        r.set("median", Medians.of(r));
      }
    } finally {
      floorDb.close();
    }
    report.put("loadAverageAtEnd", ProcFs.loadAverage());
    report.put("mismatch", mismatch);
    Files.createDirectories(settings.output().toAbsolutePath().getParent());
    Files.writeString(
        settings.output(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return report;
  }

  private static KafkaFloor floorOf(LocalServices shop) {
    shop.kafka().createTopic(KafkaFloor.TOPIC, KafkaFloor.PARTITIONS);
    return new KafkaFloor(shop.kafka().bootstrapServers());
  }

  private static Map<String, Supplier<List<Long>>> groups(
      LocalServices shop, Connection pg, TestDatabase floorDb) {
    Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
    for (String service : SERVICES) {
      List<Long> pids = shop.nodes(service).stream().map(n -> n.process().pid()).toList();
      groups.put(service, () -> pids);
    }
    groups.put("kafka", () -> List.of(shop.kafka().pid()));
    List<String> serviceDbs = shop.databases().stream().map(TestDatabase::name).toList();
    groups.put("pg-services", () -> backends(pg, serviceDbs));
    // checkpointer, WAL writer, autovacuum launcher...: the server's, shared with whatever else
    // uses it
    groups.put("pg-background", () -> backends(pg, null));
    groups.put("pg-floor", () -> backends(pg, List.of(floorDb.name())));
    groups.put("bench", () -> List.of(ProcessHandle.current().pid()));
    return groups;
  }

  /** PostgreSQL's processes serving the databases, or (null) its background processes. */
  private static List<Long> backends(Connection pg, List<String> databases) {
    String sql =
        databases == null
            ? "SELECT pid FROM pg_stat_activity WHERE datname IS NULL"
            : "SELECT pid FROM pg_stat_activity WHERE datname = ANY(?)";
    try (PreparedStatement query = pg.prepareStatement(sql)) {
      if (databases != null) {
        Array names = pg.createArrayOf("text", databases.toArray());
        query.setArray(1, names);
      }
      List<Long> pids = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getLong(1));
        }
      }
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list PostgreSQL's processes", e);
    }
  }

  private static ObjectNode pipelineRound(
      OrderLoad.Round r, Map<String, Long> spent, double idlePerSecond, double windowSeconds) {
    ObjectNode p = JSON.createObjectNode();
    p.put("seconds", round1(r.seconds()));
    p.put("achievedSendRate", round1(r.achievedSendRate()));
    p.put("sent", r.sent());
    p.put("accepted", r.accepted());
    p.put("recorded", r.recordedOfAccepted());
    p.put("recordedEqualsAccepted", r.recordedOfAccepted() == r.accepted());
    p.put("recordedOnlyInHistory", r.recordedOnlyInHistory());
    p.put("recordedNotAccepted", r.recordedNotAccepted());
    p.put("historyGrowth", r.historyGrowth());
    p.set("postStatuses", JSON.valueToTree(r.statuses()));
    p.put("createdP50Ms", round1(r.created().percentileMillis(50)));
    p.put("createdP99Ms", round1(r.created().percentileMillis(99)));
    p.put("recordedP50Ms", round1(r.recorded().percentileMillis(50)));
    p.put("recordedP99Ms", round1(r.recorded().percentileMillis(99)));
    p.put("recordedMaxMs", round1(r.recorded().maxMillis()));
    long total = PIPELINE_GROUPS.stream().mapToLong(g -> spent.getOrDefault(g, 0L)).sum();
    p.put("cpuMs", total);
    // per order the pipeline carried in the window (the histories' growth): when the client gave up
    // on a POST that went through all the same, the work was done but the order was not accepted
    p.put(
        "cpuMsPerOrder",
        round2((double) total / Math.max(1, Math.max(r.historyGrowth(), r.accepted()))));
    p.put("cpuMsPerAcceptedOrder", round2((double) total / Math.max(1, r.accepted())));
    // the window runs on through the drain, idle for most of it at low rates: what the orders
    // themselves cost is the CPU above the shop's idle for as long
    p.put("windowSeconds", round1(windowSeconds));
    p.put(
        "cpuMsPerOrderAboveIdle",
        round2(
            Math.max(0, total - idlePerSecond * windowSeconds)
                / Math.max(1, Math.max(r.historyGrowth(), r.accepted()))));
    ObjectNode by = p.putObject("cpuMsBy");
    PIPELINE_GROUPS.forEach(g -> by.put(g, spent.getOrDefault(g, 0L)));
    p.put("loadGeneratorCpuMs", spent.getOrDefault("bench", 0L));
    return p;
  }

  private static ObjectNode floorRound(
      FloorResult f, Map<String, Long> spent, List<String> groups) {
    ObjectNode n = JSON.valueToTree(f);
    long total = groups.stream().mapToLong(g -> spent.getOrDefault(g, 0L)).sum();
    n.put("cpuMs", total);
    n.put("cpuMsPerMessage", round2((double) total / Math.max(1, f.completed())));
    ObjectNode by = n.putObject("cpuMsBy");
    groups.forEach(g -> by.put(g, spent.getOrDefault(g, 0L)));
    return n;
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
