package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static dev.rampart.order.OrderGrpcTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a placement leaves in the real PostgreSQL journal of a running node: Placed and Confirmed,
 * written by one transaction (PostgreSQL's {@code xmin} of both rows is the same), so a failed
 * write leaves no PLACED order behind; a retry writes nothing more.
 */
class OrderPlacementJournalTest {
  private static TestDatabase db;
  private static PeerServers peers;
  private static OrderNodes nodes;
  private static OrderServiceClient client;

  @BeforeAll
  static void start() {
    db = Postgres.shared().createDatabase("order_placement_journal");
    peers = new PeerServers("alice");
    nodes = OrderNodes.start(1, db, peers, Map.of());
    client = nodes.node(0).client();
  }

  @AfterAll
  static void stop() {
    if (nodes != null) nodes.close();
    if (peers != null) peers.close();
    if (db != null) db.close();
  }

  /** A journal row of one order: its event class and the id of the transaction that wrote it. */
  record Row(long sequenceNr, String event, String transaction) {}

  @Test
  void onePlacementIsOneTransactionOfPlacedAndConfirmedAndARetryWritesNothing() throws Exception {
    Order placed = call(client.placeOrder(order("pj-1", "alice", line("book", 2, 1250))));
    assertThat(placed.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
    List<Row> rows = rows("pj-1");
    assertThat(rows).extracting(Row::event).startsWith("Placed", "Confirmed");
    assertThat(rows.get(1).transaction()).isEqualTo(rows.get(0).transaction());

    Order again = call(client.placeOrder(order("pj-1", "alice", line("book", 2, 1250))));
    assertThat(again.getPlacedAtEpochMillis()).isEqualTo(placed.getPlacedAtEpochMillis());
    assertThat(again.getStatus())
        .isIn(OrderStatus.ORDER_STATUS_CONFIRMED, OrderStatus.ORDER_STATUS_SHIPPED);
    assertThat(statusOf(client.placeOrder(order("pj-1", "alice", line("book", 3, 1250)))))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(rows("pj-1"))
        .filteredOn(r -> r.event().equals("Placed") || r.event().equals("Confirmed"))
        .containsExactly(rows.get(0), rows.get(1));
  }

  @Test
  void aConfirmationTheJournalRefusesLeavesNoPlacedOrder() throws Exception {
    refuseConfirmedRows(true);
    try {
      assertThat(statusOf(client.placeOrder(order("pj-2", "alice", line("lamp", 1, 3000)))))
          .isEqualTo(Status.Code.UNAVAILABLE);
      // neither event is in the journal: the order does not exist, it is not PLACED
      assertThat(rows("pj-2")).isEmpty();
      assertThat(statusOf(client.getOrder(GetOrderRequest.newBuilder().setOrderId("pj-2").build())))
          .isEqualTo(Status.Code.NOT_FOUND);
    } finally {
      refuseConfirmedRows(false);
    }
    // the client retries with the same order id once the journal takes writes again
    assertThat(call(client.placeOrder(order("pj-2", "alice", line("lamp", 1, 3000)))).getStatus())
        .isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
    List<Row> rows = rows("pj-2");
    assertThat(rows).extracting(Row::event).startsWith("Placed", "Confirmed");
    assertThat(rows.get(1).transaction()).isEqualTo(rows.get(0).transaction());
  }

  private static List<Row> rows(String orderId) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sequence_number, event_ser_manifest, xmin::text FROM event_journal"
                    + " WHERE persistence_id = 'Order|"
                    + orderId
                    + "' ORDER BY sequence_number")) {
      while (rs.next()) {
        String manifest = rs.getString(2);
        rows.add(
            new Row(
                rs.getLong(1), manifest.substring(manifest.lastIndexOf('$') + 1), rs.getString(3)));
      }
    }
    return rows;
  }

  /** A trigger makes the journal refuse every Confirmed row (or no longer). */
  private static void refuseConfirmedRows(boolean refuse) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      if (refuse) {
        s.execute(
            """
            CREATE OR REPLACE FUNCTION refuse_confirmed() RETURNS trigger AS $$
            BEGIN
              IF NEW.event_ser_manifest LIKE '%Confirmed' THEN
                RAISE EXCEPTION 'test: Confirmed refused';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql\
            """);
        s.execute(
            "CREATE TRIGGER refuse_confirmed BEFORE INSERT ON event_journal"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_confirmed()");
      } else {
        s.execute("DROP TRIGGER refuse_confirmed ON event_journal");
      }
    }
  }
}
