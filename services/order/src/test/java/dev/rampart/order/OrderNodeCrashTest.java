package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import akka.cluster.sharding.typed.HashCodeMessageExtractor;
import akka.persistence.typed.PersistenceId;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of one node of a 3-node Order cluster (three JVM processes on 127.0.0.1/2/3, one
 * PostgreSQL journal) under a stream of PlaceOrder calls. The node killed is the oldest one, so the
 * shard coordinator and the projections' singletons move too. An order counts as acknowledged only
 * when PlaceOrder answered OK; every acknowledged order must then be served, with its content, by
 * both survivors and by the killed node once it is restarted. The survivors must keep serving: the
 * crashed node is downed by the Split Brain Resolver (keep-majority), its shards move, and every
 * order the crash interrupted can be finished by retrying it with the same order id on a survivor.
 */
@Tag("slow")
class OrderNodeCrashTest {
  private static final int ORDERS = 300;
  private static final Duration SPACING = Duration.ofMillis(100); // 300 orders over 30 s
  private static final int KILL_AT = 90;
  private static final String[] CUSTOMERS = {"alice", "bob", "carol"};

  /**
   * The stream goes on past ORDERS until this many orders sent after the removal are
   * acknowledged...
   */
  private static final int SERVED_AFTER_REMOVAL = 20;

  /** ...but at most this long after the kill. */
  private static final Duration STREAM_AFTER_KILL_AT_MOST = Duration.ofSeconds(60);

  private static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  /**
   * Test-only overrides (JVM system properties of the nodes) for fast convergence. With the
   * production stable-after (Akka's 20 s, which is also the down-removal-margin) the crashed node's
   * shards and the shard coordinator move only ~45 s after the crash; with 5 s, ~15 s.
   */
  private static final List<String> FAST_CONVERGENCE =
      List.of(
          "akka.cluster.split-brain-resolver.stable-after=5s",
          "akka.management.cluster.bootstrap.contact-point-discovery.stable-margin=1s");

  /** One PlaceOrder of the stream and how it ended (OK = acknowledged). */
  private record Placement(
      PlaceOrderRequest request,
      int node,
      long sentAfterStartMillis,
      boolean afterKill,
      CompletableFuture<Status.Code> outcome) {
    Status.Code code() {
      return outcome.join();
    }
  }

  @Test
  // a safety net, not a figure: at a load average of 60 on 2 cores the retries alone took 4 minutes
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void noAcknowledgedOrderIsLostWhenANodeIsKilled() throws Exception {
    Path logs = RepoPaths.root().resolve("services/order/target/order-node-crash");
    try (TestDatabase db = Postgres.shared().createDatabase("order_crash");
        PeerServers peers = new PeerServers(CUSTOMERS);
        OrderProcessCluster cluster =
            OrderProcessCluster.start(3, db, peers, FAST_CONVERGENCE, logs)) {
      long t0 = System.nanoTime();
      awaitCluster(cluster, List.of(0, 1, 2), Duration.ofSeconds(120));
      long formedMillis = millisSince(t0);

      Map<String, PlaceOrderRequest> acked = new LinkedHashMap<>();
      for (int n = 0; n < 3; n++) { // first calls warm up each node's gRPC server and sharding
        PlaceOrderRequest warmUp = order("warm-" + n, CUSTOMERS[n], line("warm", 1, 1));
        placeUntilAcknowledged(cluster, List.of(n), warmUp, Duration.ofSeconds(60));
        acked.put(warmUp.getOrderId(), warmUp);
      }

      int victim = cluster.indexOf(cluster.members(0).orElseThrow().oldest());
      List<Integer> survivors = IntStream.range(0, 3).filter(i -> i != victim).boxed().toList();
      String victimNode = cluster.node(victim);

      // --- the stream, with the kill in the middle
      // ---------------------------------------------------------
      List<Placement> stream = new ArrayList<>();
      Set<String> victimShards = Set.of();
      AtomicLong unreachableAt = new AtomicLong(-1);
      AtomicLong removedAt = new AtomicLong(-1);
      var watcher = Executors.newSingleThreadScheduledExecutor();
      long killedAt = 0;
      long start = System.nanoTime();
      try {
        for (int i = 0;
            i < ORDERS || !survivorsServeAgain(stream, killedAt, removedAt, start);
            i++) {
          long wait = start + i * SPACING.toNanos() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // pacing only
          }
          if (i == KILL_AT) {
            victimShards = cluster.hostedShards(victim, OrderEntity.TYPE_KEY.name());
            cluster.kill(victim);
            long kill = killedAt = System.nanoTime();
            watcher.scheduleWithFixedDelay(
                () ->
                    watchMembership(cluster, survivors, victimNode, kill, unreachableAt, removedAt),
                0,
                250,
                TimeUnit.MILLISECONDS);
          }
          int node = i < KILL_AT ? i % 3 : survivors.get(i % 2);
          PlaceOrderRequest request = streamOrder(i);
          CompletableFuture<Status.Code> outcome =
              cluster
                  .client(node)
                  .placeOrder(request)
                  .toCompletableFuture()
                  .handle(
                      (placed, error) -> {
                        if (error != null) {
                          return Status.fromThrowable(error).getCode();
                        }
                        assertPlaced(placed, request);
                        return Status.Code.OK;
                      });
          stream.add(new Placement(request, node, millisSince(start), i >= KILL_AT, outcome));
        }
        CompletableFuture.allOf(
                stream.stream().map(Placement::outcome).toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);

        // SBR (keep-majority) downs the crashed node and the survivors remove it
        await("survivors remove " + victimNode)
            .atMost(Duration.ofSeconds(60))
            .until(() -> removedAt.get() >= 0);
      } finally {
        watcher.shutdownNow();
      }

      stream.stream()
          .filter(p -> p.code() == Status.Code.OK)
          .forEach(p -> acked.put(p.request().getOrderId(), p.request()));
      List<Placement> failed = stream.stream().filter(p -> p.code() != Status.Code.OK).toList();
      List<Placement> onSurvivorsAfterKill = stream.stream().filter(Placement::afterKill).toList();
      long ackedAfterKill =
          onSurvivorsAfterKill.stream().filter(p -> p.code() == Status.Code.OK).count();
      long killedAtMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - start);
      long lastSurvivorFailureAfterKill =
          onSurvivorsAfterKill.stream()
              .filter(p -> p.code() != Status.Code.OK)
              .mapToLong(p -> p.sentAfterStartMillis() - killedAtMillis)
              .max()
              .orElse(0);
      Map<Status.Code, Long> failures = new HashMap<>();
      failed.forEach(p -> failures.merge(p.code(), 1L, Long::sum));
      assertThat(ackedAfterRemoval(stream, killedAt, removedAt.get(), start))
          .as("orders sent to the survivors after the crashed node was removed and acknowledged")
          .isGreaterThanOrEqualTo(SERVED_AFTER_REMOVAL);

      // --- the survivors serve everything
      // ------------------------------------------------------------------
      // every order the crash interrupted is finished by the client's retry with the same id
      // (idempotent)
      long retryStart = System.nanoTime();
      for (Placement p : failed) {
        placeUntilAcknowledged(cluster, survivors, p.request(), Duration.ofSeconds(30));
        acked.put(p.request().getOrderId(), p.request());
      }
      long retriedMillis = millisSince(retryStart);

      // entities that lived on the killed node: only the journal can bring them back on a survivor
      var shards =
          new HashCodeMessageExtractor<OrderEntity.Command>(
              ConfigFactory.load().getInt("akka.cluster.sharding.number-of-shards"));
      Set<String> onVictim = victimShards;
      long ackedOnVictimShards =
          stream.stream()
              .filter(p -> !p.afterKill() && p.code() == Status.Code.OK)
              .filter(p -> onVictim.contains(shards.shardId(p.request().getOrderId())))
              .count();
      assertThat(ackedOnVictimShards)
          .as("acknowledged orders whose entity lived on the killed node")
          .isPositive();

      for (int s : survivors) {
        assertServesAll(cluster, s, acked);
      }
      assertJournaledOnce(db, acked.keySet());

      // --- the killed node comes back
      // ----------------------------------------------------------------------
      long restartStart = System.nanoTime();
      cluster.start(victim);
      awaitCluster(cluster, List.of(0, 1, 2), Duration.ofSeconds(90));
      long rejoinedMillis = millisSince(restartStart);
      assertServesAll(cluster, victim, acked);

      System.out.printf(
          """
          OrderNodeCrashTest summary:
            cluster formed in %d ms; killed (SIGKILL) %s, the oldest node, at %d ms into the stream
            stream: %d PlaceOrder sent (%d after the kill, to the survivors), %d acknowledged, %d failed %s;
              after the kill the survivors acknowledged %d, %d of them sent after the removal
            crashed node unreachable after %d ms, downed and removed after %d ms; last failed placement on a
              survivor was sent %d ms after the kill
            %d interrupted orders finished by retrying on survivors in %d ms
            %d acknowledged orders (%d of them on the killed node's %d shards) read back from both survivors and,
              after the restart (rejoined in %d ms), from the restarted node
          """,
          formedMillis,
          victimNode,
          killedAtMillis,
          stream.size(),
          onSurvivorsAfterKill.size(),
          stream.size() - failed.size(),
          failed.size(),
          failures,
          ackedAfterKill,
          ackedAfterRemoval(stream, killedAt, removedAt.get(), start),
          unreachableAt.get(),
          removedAt.get(),
          lastSurvivorFailureAfterKill,
          failed.size(),
          retriedMillis,
          acked.size(),
          ackedOnVictimShards,
          victimShards.size(),
          rejoinedMillis);
    }
  }

  /**
   * Order {@code i} of the stream: content derived from {@code i}, so a wrong read is detectable.
   */
  private static PlaceOrderRequest streamOrder(int i) {
    return order(
        "crash-" + i,
        CUSTOMERS[i % CUSTOMERS.length],
        line("sku-" + (i % 7), 1 + i % 5, 100 + i),
        line("gift-wrap", 1, 250));
  }

  private static void assertPlaced(Order placed, PlaceOrderRequest request) {
    assertThat(placed.getOrderId()).isEqualTo(request.getOrderId());
    assertThat(placed.getCustomerId())
        .as("customer of %s", request.getOrderId())
        .isEqualTo(request.getCustomerId());
    assertThat(placed.getLinesList())
        .as("lines of %s", request.getOrderId())
        .containsExactlyElementsOf(request.getLinesList());
    assertThat(placed.getTotalCents())
        .isEqualTo(
            request.getLinesList().stream()
                .mapToLong(l -> l.getQuantity() * l.getUnitPriceCents())
                .sum());
    // acknowledged = Placed and Confirmed are in the journal (SHIPPED once the shipment projection
    // ran)
    assertThat(placed.getStatus())
        .as("status of %s", request.getOrderId())
        .isIn(OrderStatus.ORDER_STATUS_CONFIRMED, OrderStatus.ORDER_STATUS_SHIPPED);
  }

  /** Retries PlaceOrder with the same order id over {@code nodes} while the answer is retryable. */
  private static void placeUntilAcknowledged(
      OrderProcessCluster cluster, List<Integer> nodes, PlaceOrderRequest request, Duration atMost)
      throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    for (int attempt = 0; ; attempt++) {
      int node = nodes.get(attempt % nodes.size());
      try {
        assertPlaced(
            cluster
                .client(node)
                .placeOrder(request)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS),
            request);
        return;
      } catch (ExecutionException e) {
        Status.Code code = Status.fromThrowable(e.getCause()).getCode();
        if (!RETRYABLE.contains(code) || System.nanoTime() > deadline) {
          fail(
              "PlaceOrder "
                  + request.getOrderId()
                  + " on node "
                  + node
                  + ": "
                  + code
                  + " (attempt "
                  + attempt
                  + ")\n"
                  + cluster.logTail(node),
              e.getCause());
        }
        TimeUnit.MILLISECONDS.sleep(200); // back-off between client retries
      }
    }
  }

  /**
   * Every acknowledged order, with its content, from node {@code node}; NOT_FOUND means it was
   * lost.
   */
  private static void assertServesAll(
      OrderProcessCluster cluster, int node, Map<String, PlaceOrderRequest> acked)
      throws Exception {
    for (PlaceOrderRequest request : acked.values()) {
      GetOrderRequest get = GetOrderRequest.newBuilder().setOrderId(request.getOrderId()).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          assertPlaced(
              cluster.client(node).getOrder(get).toCompletableFuture().get(30, TimeUnit.SECONDS),
              request);
          break;
        } catch (ExecutionException e) {
          Status.Code code = Status.fromThrowable(e.getCause()).getCode();
          if (code == Status.Code.NOT_FOUND) {
            fail(
                "acknowledged order "
                    + request.getOrderId()
                    + " is lost: NOT_FOUND on node "
                    + cluster.node(node));
          }
          if (!RETRYABLE.contains(code) || System.nanoTime() > deadline) {
            fail(
                "GetOrder "
                    + request.getOrderId()
                    + " on node "
                    + cluster.node(node)
                    + ": "
                    + code
                    + "\n"
                    + cluster.logTail(node),
                e.getCause());
          }
          TimeUnit.MILLISECONDS.sleep(200); // the shard is still being allocated
        }
      }
    }
  }

  /**
   * The journal holds exactly one Placed event per order: no entity was ever written by two
   * incarnations.
   */
  private static void assertJournaledOnce(TestDatabase db, Set<String> orderIds) throws Exception {
    Map<String, Integer> placedEvents = new HashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT persistence_id, count(*) FROM event_journal"
                    + " WHERE event_ser_manifest LIKE '%Placed' GROUP BY persistence_id")) {
      while (rs.next()) {
        placedEvents.put(rs.getString(1), rs.getInt(2));
      }
    }
    for (String id : orderIds) {
      assertThat(placedEvents.get(PersistenceId.of(OrderEntity.TYPE_KEY.name(), id).id()))
          .as("Placed events of %s", id)
          .isEqualTo(1);
    }
  }

  /**
   * Waits until every node in {@code nodes} is ready and sees exactly these nodes Up and none
   * unreachable.
   */
  private static void awaitCluster(
      OrderProcessCluster cluster, List<Integer> nodes, Duration atMost) {
    Set<String> expected = Set.copyOf(nodes.stream().map(cluster::node).toList());
    try {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  nodes.stream()
                      .allMatch(
                          n ->
                              cluster.readiness(n) == 200
                                  && cluster
                                      .members(n)
                                      .filter(
                                          m ->
                                              m.up().equals(expected)
                                                  && m.all().equals(expected)
                                                  && m.unreachable().isEmpty())
                                      .isPresent()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder state =
          new StringBuilder("cluster of " + expected + " did not form within " + atMost);
      for (int n : nodes) {
        state
            .append("\nnode ")
            .append(cluster.node(n))
            .append(": alive=")
            .append(cluster.isAlive(n))
            .append(" ready=")
            .append(cluster.readiness(n))
            .append(" members=")
            .append(cluster.members(n))
            .append("\n")
            .append(cluster.logTail(n));
      }
      throw new AssertionError(state.toString(), e);
    }
  }

  /**
   * The stream may end: the survivors have served enough orders after the removal, or waited long
   * enough.
   */
  private static boolean survivorsServeAgain(
      List<Placement> stream, long killedAt, AtomicLong removedAt, long start) {
    if (killedAt == 0) {
      return false;
    }
    return millisSince(killedAt) > STREAM_AFTER_KILL_AT_MOST.toMillis()
        || removedAt.get() >= 0
            && ackedAfterRemoval(stream, killedAt, removedAt.get(), start) >= SERVED_AFTER_REMOVAL;
  }

  /**
   * Orders sent to the survivors once both had removed the crashed node, and acknowledged (so far).
   */
  private static long ackedAfterRemoval(
      List<Placement> stream, long killedAt, long removedAfterKillMillis, long start) {
    if (removedAfterKillMillis < 0) {
      return 0;
    }
    long removedAfterStartMillis =
        TimeUnit.NANOSECONDS.toMillis(killedAt - start) + removedAfterKillMillis;
    return stream.stream()
        .filter(p -> p.afterKill() && p.sentAfterStartMillis() >= removedAfterStartMillis)
        .filter(
            p ->
                p.outcome().isDone()
                    && !p.outcome().isCompletedExceptionally()
                    && p.outcome().join() == Status.Code.OK)
        .count();
  }

  /**
   * Records when the survivors first see the crashed node unreachable, and when both have removed
   * it.
   */
  private static void watchMembership(
      OrderProcessCluster cluster,
      List<Integer> survivors,
      String victimNode,
      long killedAt,
      AtomicLong unreachableAt,
      AtomicLong removedAt) {
    if (removedAt.get() >= 0) {
      return;
    }
    var views = survivors.stream().map(cluster::members).toList();
    if (unreachableAt.get() < 0
        && views.stream()
            .anyMatch(v -> v.isPresent() && v.get().unreachable().contains(victimNode))) {
      unreachableAt.set(millisSince(killedAt));
    }
    if (removedAt.get() < 0
        && views.stream()
            .allMatch(
                v ->
                    v.isPresent()
                        && !v.get().all().contains(victimNode)
                        && v.get().unreachable().isEmpty()
                        && v.get().up().size() == 2)) {
      removedAt.set(millisSince(killedAt));
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
