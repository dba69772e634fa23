package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.google.protobuf.Timestamp;
import dev.rampart.contract.Env;
import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventRequest;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import dev.rampart.user.UserFeed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Shipping and User as real services (one node each, journals in real PostgreSQL) joined by the
 * ShipmentExchange stream over HTTP/2 on loopback: address changes flow to Shipping, shipment
 * notices flow to User and out to a WatchNotifications subscriber, and cuts and restarts lose and
 * duplicate nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShipmentExchangeTest {
  static final Address HOME =
      Address.newBuilder()
          .setStreet("1 Main St")
          .setCity("Berlin")
          .setPostalCode("10115")
          .setCountry("DE")
          .build();
  static final Address WORK = HOME.toBuilder().setStreet("2 Side St").build();
  static final Address SETTLED = HOME.toBuilder().setStreet("3 Settled St").build();

  static TestDatabase userDb;
  static TestDatabase shippingDb;
  static int exchangePort;
  static ServiceNodes.User user;
  static ServiceNodes.Shipping shipping;

  @BeforeAll
  static void start() {
    userDb = Postgres.shared().createDatabase("user_exchange");
    shippingDb = Postgres.shared().createDatabase("shipping_exchange");
    exchangePort = FreePorts.on("127.0.0.1");
    user = new ServiceNodes.User("127.0.0.1", pg(userDb), exchangePort);
    shipping = new ServiceNodes.Shipping("127.0.0.2", pg(shippingDb), "127.0.0.1", exchangePort);
  }

  @AfterAll
  static void stop() { // (a node closed by a test is closed again here: a no-op)
    if (shipping != null) {
      shipping.close();
    }
    if (user != null) {
      user.close();
    }
    userDb.close();
    shippingDb.close();
  }

  static Map<String, String> pg(TestDatabase db) {
    return Map.of(
        Env.JDBC_URL, db.jdbcUrl(), Env.JDBC_USER, db.user(), Env.JDBC_PASSWORD, db.password());
  }

  static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
    return ServiceNodes.join(stage);
  }

  static void register(String userId) {
    get(
        user.client()
            .register(
                RegisterRequest.newBuilder()
                    .setUserId(userId)
                    .setName(userId)
                    .setEmail(userId + "@example.com")
                    .setAddress(HOME)
                    .build()));
  }

  /**
   * Opens WatchNotifications and waits until it is live: the user shows as online and an address
   * change made after subscribing has arrived (pub-sub subscriptions spread asynchronously).
   */
  static Queue<Notification> watch(String userId) {
    Queue<Notification> received = new ConcurrentLinkedQueue<>();
    user.client()
        .watchNotifications(WatchNotificationsRequest.newBuilder().setUserId(userId).build())
        .runWith(Sink.foreach(received::add), user.runtime.system());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get(user.client().getUser(GetUserRequest.newBuilder().setUserId(userId).build()))
                    .getOnline());
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              get(
                  user.client()
                      .changeAddress(
                          ChangeAddressRequest.newBuilder()
                              .setUserId(userId)
                              .setAddress(
                                  HOME.toBuilder().setStreet(n.incrementAndGet() + " Probe St"))
                              .build()));
              return received.stream().anyMatch(Notification::hasAddressChanged);
            });
    // a last, distinct address: once Shipping has it, no older change can still overtake it
    get(
        user.client()
            .changeAddress(
                ChangeAddressRequest.newBuilder().setUserId(userId).setAddress(SETTLED).build()));
    return received;
  }

  static Optional<ShipmentEntity.Address> addressAtShipping(String userId) {
    return get(ClusterSharding.get(shipping.runtime.system())
            .entityRefFor(CustomerAddressEntity.TYPE_KEY, userId)
            .ask(CustomerAddressEntity.Get::new, Duration.ofSeconds(5)))
        .address();
  }

  static List<Notification> shipmentNotices(Queue<Notification> received) {
    return received.stream().filter(Notification::hasShipmentNotice).toList();
  }

  /** The user's journal: how many shipment notices were applied (durably, not just shown). */
  static long noticesApplied(ActorSystem<?> system, String userId) {
    return get(PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier())
            .currentEventsByPersistenceId(UserFeed.persistenceId(userId).id(), 0, Long.MAX_VALUE)
            .filter(e -> e.event() instanceof UserFeed.ShipmentNoticeApplied)
            .runWith(Sink.seq(), system))
        .size();
  }

  static Shipment createShipment(String orderId, String customerId) {
    return get(
        shipping
            .client()
            .createShipment(
                CreateShipmentRequest.newBuilder()
                    .setOrderId(orderId)
                    .setCustomerId(customerId)
                    .build()));
  }

  @Test
  @Order(1)
  void addressesReachShippingAndTheShipmentNoticeReachesTheSubscriber() {
    register("alice");
    Queue<Notification> received = watch("alice");

    // User -> Shipping: the registration address, then a change
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                addressAtShipping("alice")
                    .map(a -> a.street().equals(SETTLED.getStreet()))
                    .orElse(false));
    Shipment created = createShipment("order-a1", "alice");
    assertThat(created.getShipmentId()).isEqualTo("order-a1");
    assertThat(created.getAddress()).isEqualTo(SETTLED);
    assertThat(createShipment("order-a1", "alice").getShipmentId())
        .as("idempotent")
        .isEqualTo("order-a1");

    // Shipping -> User: booked by reliable delivery, noticed through the stream, pushed to the
    // subscriber
    await().atMost(Duration.ofSeconds(20)).until(() -> shipmentNotices(received).size() == 1);
    Notification notice = shipmentNotices(received).get(0);
    assertThat(notice.getShipmentNotice().getOrderId()).isEqualTo("order-a1");
    assertThat(notice.getShipmentNotice().getStatus()).isEqualTo("BOOKED");
    assertThat(notice.getShipmentNotice().getCarrier()).isEqualTo("DHL");
    Shipment booked =
        get(
            shipping
                .client()
                .getShipment(GetShipmentRequest.newBuilder().setShipmentId("order-a1").build()));
    assertThat(booked.getStatus()).isEqualTo("BOOKED");
    assertThat(booked.getTrackingCode()).isEqualTo(notice.getShipmentNotice().getTrackingCode());
    User alice = get(user.client().getUser(GetUserRequest.newBuilder().setUserId("alice").build()));
    assertThat(alice.getOrdersList())
        .extracting(OrderSummary::getOrderId, OrderSummary::getShipmentStatus)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("order-a1", "BOOKED"));

    // the carrier's progress reaches the customer the same way, once each
    for (CarrierStatus status :
        List.of(CarrierStatus.CARRIER_STATUS_IN_TRANSIT, CarrierStatus.CARRIER_STATUS_IN_TRANSIT)) {
      get(
          shipping
              .client()
              .recordCarrierEvent(
                  RecordCarrierEventRequest.newBuilder()
                      .setShipmentId("order-a1")
                      .setCarrierEventId("pickup-1")
                      .setStatus(status)
                      .setOccurredAt(Timestamp.newBuilder().setSeconds(1_700_000_000L))
                      .build()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> shipmentNotices(received).size() == 2);
    assertThat(shipmentNotices(received).get(1).getShipmentNotice().getStatus())
        .isEqualTo("IN_TRANSIT");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        get(user.client()
                                .getUser(GetUserRequest.newBuilder().setUserId("alice").build()))
                            .getOrdersList())
                    .extracting(OrderSummary::getShipmentStatus)
                    .containsExactly("IN_TRANSIT"));

    get(
        user.client()
            .changeAddress(
                ChangeAddressRequest.newBuilder().setUserId("alice").setAddress(WORK).build()));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                addressAtShipping("alice").map(a -> a.street().equals("2 Side St")).orElse(false));
    assertThat(createShipment("order-a2", "alice").getAddress()).isEqualTo(WORK);
  }

  @Test
  @Order(2)
  void aCutMidFlowLosesNothingAndDuplicatesNothing() throws Exception {
    register("bob");
    Queue<Notification> received = watch("bob");
    await().atMost(Duration.ofSeconds(20)).until(() -> addressAtShipping("bob").isPresent());

    int total = 20;
    for (int i = 0; i < total; i++) {
      createShipment("order-b" + i, "bob");
      if (i == 6) {
        user.killExchangeBinding(); // every exchange connection is cut while notices are in flight
      }
      if (i == 13) {
        user.bindExchange();
      }
      Thread.sleep(50);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(shipmentNotices(received)).hasSizeGreaterThanOrEqualTo(total));
    // User acknowledged the last notice: Shipping resends only what is unacknowledged, and User
    // acks after applying (and publishing), so every resend has been applied or dropped by now
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shipping.node.noticesAcked() >= lastNoticeOffset());
    List<String> orders =
        shipmentNotices(received).stream().map(n -> n.getShipmentNotice().getOrderId()).toList();
    assertThat(orders).hasSize(total).doesNotHaveDuplicates();
    assertThat(orders)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, total)
                .mapToObj(i -> "order-b" + i)
                .collect(Collectors.toList()));
    assertThat(noticesApplied(user.runtime.system(), "bob")).isEqualTo(total);
    // the ack is exported as a gauge
    assertThat(dev.rampart.platform.PlatformMetrics.get(shipping.runtime.system()).scrape())
        .contains("rampart_shipping_exchange_notices_acked");
  }

  /** The journal offset of the newest booking (the last entry of Shipping's notice outbox). */
  static long lastNoticeOffset() {
    ActorSystem<?> system = shipping.runtime.system();
    return get(
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier())
            .currentEventsByTag(ShipmentEntity.NOTICE_TAG, akka.persistence.query.Offset.noOffset())
            .map(e -> ((akka.persistence.query.Sequence) e.offset()).value())
            .runWith(Sink.last(), system));
  }

  @Test
  @Order(3)
  void aRestartedUserNodeResumesFromItsPersistedOffset() {
    register("carol");
    await().atMost(Duration.ofSeconds(20)).until(() -> addressAtShipping("carol").isPresent());
    long bobBefore = noticesApplied(user.runtime.system(), "bob");

    user.close(); // the whole User service is gone; Shipping keeps booking, notices wait in its
    // outbox
    for (int i = 0; i < 5; i++) {
      createShipment("order-c" + i, "carol");
    }
    user = new ServiceNodes.User("127.0.0.1", pg(userDb), exchangePort);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> noticesApplied(user.runtime.system(), "carol") == 5);
    User carol = get(user.client().getUser(GetUserRequest.newBuilder().setUserId("carol").build()));
    assertThat(carol.getOrdersList())
        .hasSize(5)
        .allSatisfy(o -> assertThat(o.getShipmentStatus()).isEqualTo("BOOKED"));
    assertThat(noticesApplied(user.runtime.system(), "bob"))
        .as("nothing replayed into bob")
        .isEqualTo(bobBefore);
  }

  @Test
  @Order(4)
  void aRestartedShippingNodeResumesTheAddressChangesItMissed() {
    Address moved = HOME.toBuilder().setStreet("9 New St").build();
    shipping.close(); // Shipping is gone; User keeps taking address changes into its outbox
    get(
        user.client()
            .changeAddress(
                ChangeAddressRequest.newBuilder().setUserId("carol").setAddress(moved).build()));
    shipping = new ServiceNodes.Shipping("127.0.0.2", pg(shippingDb), "127.0.0.1", exchangePort);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> addressAtShipping("carol").map(a -> a.street().equals("9 New St")).orElse(false));
    assertThat(createShipment("order-c9", "carol").getAddress()).isEqualTo(moved);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> noticesApplied(user.runtime.system(), "carol") == 6);
    assertThat(noticesApplied(user.runtime.system(), "bob"))
        .as("nothing resent into bob")
        .isEqualTo(20);
  }
}
