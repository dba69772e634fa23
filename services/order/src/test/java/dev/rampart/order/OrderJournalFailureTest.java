package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static dev.rampart.order.OrderGrpcTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Probes;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal's database goes away under a running node (connections cut, new ones refused): the
 * node turns not-ready, a PlaceOrder gets UNAVAILABLE (never a phantom success), and once the
 * database is back the same request succeeds, with the order journaled exactly once.
 */
class OrderJournalFailureTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void journalOutageGivesUnavailableAndNotReadyThenRecovers() throws Exception {
    try (TestDatabase db = Postgres.shared().createDatabase("order_journal_failure");
        PeerServers peers = new PeerServers("alice");
        OrderNodes nodes = OrderNodes.start(1, db, peers, Map.of())) {
      var node = nodes.node(0);
      var client = node.client();
      String ready = "http://" + node.ip() + ":" + node.managementPort() + Probes.READY;
      await().atMost(Duration.ofSeconds(30)).until(() -> status(ready) == 200);
      assertThat(call(client.placeOrder(order("j-1", "alice", line("a", 1, 10)))).getStatus())
          .isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);

      cutOff(db, true);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(ready) >= 500); // probes fail
        assertThat(statusOf(client.placeOrder(order("j-2", "alice", line("b", 2, 20)))))
            .isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        cutOff(db, false);
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> status(ready) == 200);
      // the client retries with the same order id: now it is stored, once
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () ->
                  assertThat(
                          call(client.placeOrder(order("j-2", "alice", line("b", 2, 20))))
                              .getStatus())
                      .isIn(OrderStatus.ORDER_STATUS_CONFIRMED, OrderStatus.ORDER_STATUS_SHIPPED));
      assertThat(
              call(client.getOrder(GetOrderRequest.newBuilder().setOrderId("j-2").build()))
                  .getTotalCents())
          .isEqualTo(40);
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM event_journal WHERE persistence_id = 'Order|j-2'"
                      + " AND event_ser_manifest LIKE '%Placed'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  /** Refuses new connections to the database and ends the open ones (or allows them again). */
  private static void cutOff(TestDatabase db, boolean off) throws Exception {
    Postgres pg = Postgres.shared();
    try (Connection c = DriverManager.getConnection(pg.url("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      if (off) {
        s.execute("REVOKE CONNECT ON DATABASE " + db.name() + " FROM PUBLIC, " + pg.user());
        s.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + db.name()
                + "'");
      } else {
        s.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO PUBLIC, " + pg.user());
      }
    }
  }

  private int status(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
