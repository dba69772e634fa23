package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.stream.javadsl.Sink;
import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.OrderConfirmed;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.events.v1.OrderPlaced;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import dev.rampart.user.OldUserEntityEvents.Address;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A journal and a snapshot written by the earlier {@code UserEntity} (its event and state classes,
 * serialized by the node's own serializer under the old class names, as its rows are in
 * PostgreSQL), read by two real User nodes of this version: the profile, the order history
 * projected from the old events, the notification ids and their replay, and the dedupe restored
 * from the old snapshot; then the cluster restarts and the history is still there.
 */
class OldJournalClusterTest {
  static final String USER = "olden";
  static TestDatabase db;
  static Map<String, String> env;
  static UserCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    db = Postgres.shared().createDatabase("user_old_journal");
    env =
        Map.of(
            Env.JDBC_URL, db.jdbcUrl(), Env.JDBC_USER, db.user(), Env.JDBC_PASSWORD, db.password());
    cluster = UserCluster.start(2, env);
    writeTheOldJournal(cluster.node(0).runtime().system());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    db.close();
  }

  static final Address HOME = new Address("1 Old St", "Berlin", "10115", "DE");
  static final Address MOVED = new Address("2 New St", "Berlin", "10117", "DE");

  /**
   * What the old entity persisted for a user who registered (1), placed o1 (2), moved (3), had o1
   * confirmed (4, snapshot), o1 booked (5) and placed o2 (6).
   */
  static void writeTheOldJournal(ActorSystem<?> system) throws Exception {
    List<Object> events =
        List.of(
            new OldUserEntityEvents.Registered(USER, "Olden", "olden@example.com", HOME, 10),
            new OldUserEntityEvents.OrderRecorded("o1:1", "o1", 1, "PLACED", 1250, 20),
            new OldUserEntityEvents.AddressChanged(USER, MOVED, 30),
            new OldUserEntityEvents.OrderRecorded("o1:2", "o1", 2, "CONFIRMED", 0, 40),
            new OldUserEntityEvents.ShipmentNoticeApplied(
                "o1:BOOKED", "o1", "o1", "BOOKED", "RAMPART-POST", "RP1", 50),
            new OldUserEntityEvents.OrderRecorded("o2:1", "o2", 1, "PLACED", 300, 60));
    Map<String, OldUserEntityEvents.OrderSummary> orders = new LinkedHashMap<>();
    orders.put("o1", new OldUserEntityEvents.OrderSummary("o1", "CONFIRMED", 1250, 2, ""));
    var snapshot =
        new OldUserEntityEvents.State(
            USER, "Olden", "olden@example.com", MOVED, orders, Set.of("o1:1", "o1:2"), Set.of());
    Serialization serialization = SerializationExtension.get(system);
    try (Connection c = db.connect()) {
      PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
                  + " adapter_manifest, event_ser_id, event_ser_manifest, event_payload)"
                  + " VALUES (?, ?, 'old-user-entity', ?, '', ?, ?, ?)");
      for (int i = 0; i < events.size(); i++) {
        Object event = events.get(i);
        Serializer serializer = serialization.findSerializerFor(event);
        insert.setString(1, "User|" + USER);
        insert.setLong(2, i + 1);
        insert.setLong(3, 1000L + i);
        insert.setInt(4, serializer.identifier());
        insert.setString(5, OldUserEntityEvents.MANIFEST + event.getClass().getSimpleName());
        insert.setBytes(6, serialization.serialize(event).get());
        insert.executeUpdate();
      }
      PreparedStatement snap =
          c.prepareStatement(
              "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot_ser_id,"
                  + " snapshot_ser_manifest, snapshot_payload) VALUES (?, 4, 1003, ?, ?, ?)");
      snap.setString(1, "User|" + USER);
      snap.setInt(2, serialization.findSerializerFor(snapshot).identifier());
      snap.setString(3, OldUserEntityEvents.MANIFEST + "State");
      snap.setBytes(4, serialization.serialize(snapshot).get());
      snap.executeUpdate();
    }
  }

  static User read(int node) {
    return UserCluster.join(
        cluster.node(node).client().getUser(GetUserRequest.newBuilder().setUserId(USER).build()));
  }

  static byte[] orderEvent(String orderId, long seq, long atMillis) {
    OrderEvent.Builder e =
        OrderEvent.newBuilder()
            .setEventId(orderId + ":" + seq)
            .setOrderId(orderId)
            .setSequenceNr(seq)
            .setCustomerId(USER)
            .setAtEpochMillis(atMillis);
    return (seq == 1
            ? e.setPlaced(OrderPlaced.newBuilder().setTotalCents(700))
            : e.setConfirmed(OrderConfirmed.getDefaultInstance()))
        .build()
        .toByteArray();
  }

  static long journalSize(ActorSystem<?> system) {
    return UserCluster.join(
            akka.persistence.query.PersistenceQuery.get(system)
                .getReadJournalFor(
                    akka.persistence.jdbc.query.javadsl.JdbcReadJournal.class,
                    akka.persistence.jdbc.query.javadsl.JdbcReadJournal.Identifier())
                .currentEventsByPersistenceId(UserFeed.persistenceId(USER).id(), 0, Long.MAX_VALUE)
                .runWith(Sink.seq(), system))
        .size();
  }

  static long historyAppliedUpTo(ClusterSharding sharding) {
    return UserCluster.join(
            sharding
                .entityRefFor(OrderHistory.TYPE_KEY, USER)
                .ask(OrderHistory.GetView::new, Duration.ofSeconds(5)))
        .appliedUpTo();
  }

  @Test
  void theOldJournalIsTheFeedAndTheHistoryIsProjectedFromIt() {
    assertThat(
            UserCluster.join(
                    cluster
                        .node(1)
                        .client()
                        .checkCustomer(CheckCustomerRequest.newBuilder().setUserId(USER).build()))
                .getRegistered())
        .isTrue();
    for (int node = 0; node < 2; node++) {
      User olden = read(node);
      assertThat(olden.getName()).isEqualTo("Olden");
      assertThat(olden.getAddress().getStreet()).isEqualTo("2 New St");
      assertThat(olden.getOrderCount()).isEqualTo(2);
      assertThat(olden.getOrdersList())
          .extracting(
              OrderSummary::getOrderId,
              OrderSummary::getStatus,
              OrderSummary::getTotalCents,
              OrderSummary::getShipmentStatus)
          .containsExactly(
              Tuple.tuple("o1", "CONFIRMED", 1250L, "BOOKED"),
              Tuple.tuple("o2", "PLACED", 300L, ""));
    }

    // the old ids replay as they were, then the numbering goes on
    Queue<Notification> received = new ConcurrentLinkedQueue<>();
    cluster
        .node(1)
        .client()
        .watchNotifications(
            WatchNotificationsRequest.newBuilder()
                .setUserId(USER)
                .setAfterNotificationId(USER + ":1")
                .build())
        .runWith(Sink.foreach(received::add), cluster.node(1).runtime().system());
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 5);
    assertThat(received)
        .extracting(Notification::getNotificationId)
        .containsExactly(USER + ":2", USER + ":3", USER + ":4", USER + ":5", USER + ":6");
    assertThat(received.stream().map(Notification::getKindCase).toList())
        .containsExactly(
            Notification.KindCase.ORDER_RECORDED,
            Notification.KindCase.ADDRESS_CHANGED,
            Notification.KindCase.ORDER_RECORDED,
            Notification.KindCase.SHIPMENT_NOTICE,
            Notification.KindCase.ORDER_RECORDED);

    // redeliveries of what the old entity applied (known from its snapshot and later events)
    ActorSystem<?> system = cluster.node(0).runtime().system();
    ClusterSharding sharding = ClusterSharding.get(system);
    UserCluster.join(
        OrderEventsConsumer.record(sharding, Duration.ofSeconds(10), orderEvent("o1", 2, 40)));
    UserCluster.join(
        OrderEventsConsumer.record(sharding, Duration.ofSeconds(10), orderEvent("o2", 1, 60)));
    assertThat(journalSize(system)).isEqualTo(6);

    UserCluster.join(
        OrderEventsConsumer.record(sharding, Duration.ofSeconds(10), orderEvent("o3", 1, 70)));
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 6);
    assertThat(received).extracting(Notification::getNotificationId).endsWith(USER + ":7");
    // the projection brings the new event to the history by itself (no GetUser since)
    await().atMost(Duration.ofSeconds(20)).until(() -> historyAppliedUpTo(sharding) == 7);
    assertThat(read(1).getOrderCount()).isEqualTo(3);

    // the whole cluster restarts: the history is there (its own journal), and the projection goes
    // on
    cluster.close();
    cluster = UserCluster.start(2, env);
    assertThat(read(0).getOrdersList())
        .extracting(OrderSummary::getOrderId, OrderSummary::getStatus)
        .containsExactly(
            Tuple.tuple("o1", "CONFIRMED"),
            Tuple.tuple("o2", "PLACED"),
            Tuple.tuple("o3", "PLACED"));
    ClusterSharding restarted = ClusterSharding.get(cluster.node(1).runtime().system());
    UserCluster.join(
        OrderEventsConsumer.record(restarted, Duration.ofSeconds(10), orderEvent("o3", 1, 70)));
    UserCluster.join(
        OrderEventsConsumer.record(restarted, Duration.ofSeconds(10), orderEvent("o3", 2, 80)));
    assertThat(journalSize(cluster.node(1).runtime().system())).isEqualTo(8);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(read(1).getOrdersList())
                    .extracting(OrderSummary::getStatus)
                    .containsExactly("CONFIRMED", "PLACED", "CONFIRMED"));
  }
}
