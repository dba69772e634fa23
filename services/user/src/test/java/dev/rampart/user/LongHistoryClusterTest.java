package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.events.v1.OrderPlaced;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real User nodes on PostgreSQL and a customer with 3,000 orders: the history is recorded
 * through the Kafka consumer's ask from both nodes (so half of the replies cross Artery, whichever
 * node hosts the entity), and GetUser on either node still answers with the bounded view. With the
 * whole state in every reply, the replies outgrew Artery's frame and the asks timed out.
 */
class LongHistoryClusterTest {
  static final int ORDERS = 3000;
  static TestDatabase db;
  static UserCluster cluster;

  @BeforeAll
  static void start() {
    db = Postgres.shared().createDatabase("user_long_history");
    cluster =
        UserCluster.start(
            2,
            Map.of(
                Env.JDBC_URL,
                db.jdbcUrl(),
                Env.JDBC_USER,
                db.user(),
                Env.JDBC_PASSWORD,
                db.password()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    db.close();
  }

  static byte[] placed(int n) {
    String orderId = String.format("long-%05d", n);
    return OrderEvent.newBuilder()
        .setEventId(orderId + ":1")
        .setOrderId(orderId)
        .setSequenceNr(1)
        .setCustomerId("olga")
        .setAtEpochMillis(n)
        .setPlaced(OrderPlaced.newBuilder().setTotalCents(100L + n))
        .build()
        .toByteArray();
  }

  /** Order {@code n} recorded through node {@code n % 2}, as its Kafka consumer would. */
  static CompletionStage<Done> record(int n) {
    var system = cluster.node(n % 2).runtime().system();
    return OrderEventsConsumer.record(
        ClusterSharding.get(system), Duration.ofSeconds(10), placed(n));
  }

  static User read(int node) {
    return UserCluster.join(
        cluster.node(node).client().getUser(GetUserRequest.newBuilder().setUserId("olga").build()));
  }

  @Test
  void aCustomerWithThousandsOfOrdersCanStillBeReadAndOrderFromEitherNode() {
    UserCluster.join(
        cluster
            .node(0)
            .client()
            .register(
                RegisterRequest.newBuilder()
                    .setUserId("olga")
                    .setName("Olga")
                    .setEmail("olga@example.com")
                    .setAddress(
                        Address.newBuilder()
                            .setStreet("9 Long Rd")
                            .setCity("Berlin")
                            .setPostalCode("10115")
                            .setCountry("DE"))
                    .build()));
    // In windows of 50 concurrent asks: the entity stashes while it persists.
    for (int from = 1; from <= ORDERS - 2; from += 50) {
      List<CompletableFuture<Done>> window = new ArrayList<>();
      for (int n = from; n < Math.min(from + 50, ORDERS - 1); n++) {
        window.add(record(n).toCompletableFuture());
      }
      UserCluster.join(CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)));
    }
    // The last two orders, one through each node: one of them is remote to the entity.
    UserCluster.join(record(ORDERS - 1));
    UserCluster.join(record(ORDERS));

    for (int node = 0; node < 2; node++) {
      User olga = read(node);
      assertThat(olga.getName()).isEqualTo("Olga");
      assertThat(olga.getOrderCount()).isEqualTo(ORDERS);
      List<OrderSummary> orders = olga.getOrdersList();
      assertThat(orders).hasSize(100);
      // The newest 100 (windows are sequential; within one the order is the arrival order).
      assertThat(orders.stream().map(OrderSummary::getOrderId))
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(ORDERS - 99, ORDERS)
                  .mapToObj(n -> String.format("long-%05d", n))
                  .toList());
      assertThat(orders.get(98).getOrderId()).isEqualTo(String.format("long-%05d", ORDERS - 1));
      assertThat(orders.get(99).getOrderId()).isEqualTo(String.format("long-%05d", ORDERS));
      assertThat(orders.get(99).getTotalCents()).isEqualTo(100L + ORDERS);
    }
  }
}
