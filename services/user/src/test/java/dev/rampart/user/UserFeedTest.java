package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.typesafe.config.ConfigFactory;
import dev.rampart.user.UserFeed.Accepted;
import dev.rampart.user.UserFeed.Command;
import dev.rampart.user.UserFeed.Current;
import dev.rampart.user.UserFeed.Event;
import dev.rampart.user.UserFeed.Problem;
import dev.rampart.user.UserFeed.Rejected;
import dev.rampart.user.UserFeed.Reply;
import dev.rampart.user.UserFeed.State;
import dev.rampart.user.UserProfile.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's feed alone, with the persistence testkit journal; every command, event and state is
 * serialized. {@code dedupe-orders} is 1000 (reference.conf).
 */
class UserFeedTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "akka.actor.serialization-bindings { \"dev.rampart.platform.CborSerializable\" ="
                      + " jackson-cbor }")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));
  private static final Address HOME = new Address("1 Main St", "Berlin", "10115", "DE");
  private static final Address WORK = new Address("2 Side St", "Hamburg", "20095", "DE");

  private EventSourcedBehaviorTestKit<Command, Event, State> user;

  @BeforeEach
  void fresh() {
    user = EventSourcedBehaviorTestKit.create(testKit.system(), UserFeed.create("alice"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, Reply> register() {
    return user.runCommand(r -> new UserFeed.Register("Alice", "alice@example.com", HOME, r));
  }

  @Test
  void registersOnceAndIsIdempotentWithSameData() {
    var first = register();
    assertThat(first.event()).isInstanceOf(UserFeed.Registered.class);
    assertThat(first.reply())
        .isEqualTo(
            new Current(new UserProfile("alice", "Alice", "alice@example.com", HOME), 1, true));

    var again = register();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(((Current) again.reply()).changed()).isFalse();

    var conflicting =
        user.<Reply>runCommand(r -> new UserFeed.Register("Mallory", "alice@example.com", HOME, r));
    assertThat(conflicting.hasNoEvents()).isTrue();
    assertThat(conflicting.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.ALREADY_EXISTS));
  }

  @Test
  void commandsOnAnUnregisteredUserAreRejectedWithoutEvents() {
    var get = user.<Reply>runCommand(UserFeed.Get::new);
    var change = user.<Reply>runCommand(r -> new UserFeed.ChangeAddress(WORK, r));
    var order =
        user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 500, 1, r));
    var notice =
        user.<Reply>runCommand(
            r -> new UserFeed.ApplyShipmentNotice("o1:BOOKED", "o1", "o1", "BOOKED", "c", "t", r));
    for (var result : java.util.List.of(get, change, order, notice)) {
      assertThat(result.hasNoEvents()).isTrue();
      assertThat(result.reply())
          .isInstanceOfSatisfying(
              Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.NOT_FOUND));
    }
  }

  @Test
  void changesAddressOnlyWhenItDiffers() {
    register();
    var change = user.<Reply>runCommand(r -> new UserFeed.ChangeAddress(WORK, r));
    assertThat(change.event())
        .isEqualTo(
            new UserFeed.AddressChanged(
                "alice", WORK, ((UserFeed.AddressChanged) change.event()).atEpochMillis()));
    assertThat(change.state().profile().address()).isEqualTo(WORK);
    assertThat(user.<Reply>runCommand(r -> new UserFeed.ChangeAddress(WORK, r)).hasNoEvents())
        .isTrue();
  }

  private Reply record(String orderId, long seq, String status, long atMillis) {
    return user.<Reply>runCommand(
            r ->
                new UserFeed.RecordOrder(
                    orderId + ":" + seq, orderId, seq, status, 100, atMillis, r))
        .reply();
  }

  @Test
  void aRedeliveredOrderEventChangesNothing() {
    register();
    var placed =
        user.<Reply>runCommand(
            r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r));
    assertThat(placed.event()).isInstanceOf(UserFeed.OrderRecorded.class);
    var confirmed =
        user.<Reply>runCommand(
            r -> new UserFeed.RecordOrder("o1:2", "o1", 2, "CONFIRMED", 0, 2, r));
    assertThat(confirmed.state().applied().orders().get("o1").sequenceNr()).isEqualTo(2);

    var redelivered =
        user.<Reply>runCommand(
            r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r));
    assertThat(redelivered.hasNoEvents()).isTrue();
    assertThat(((Accepted) redelivered.reply()).changed()).isFalse();
    assertThat(redelivered.state()).isEqualTo(confirmed.state());
  }

  @Test
  void aStaleOrderEventWithANewIdChangesNothing() {
    register();
    record("o1", 2, "CONFIRMED", 2);
    var stale =
        user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 900, 1, r));
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(stale.state().applied().orders().get("o1").sequenceNr()).isEqualTo(2);
  }

  /**
   * 3,000 orders: the dedupe keeps the 1,000 most recently changed (and one timestamp for the
   * others), replies stay small, and a redelivered event of an evicted order, of a kept one and of
   * the newest are all ignored.
   */
  @Test
  void theDedupeIsBoundedAndStillIgnoresRedeliveriesOfOrdersItLetGo() {
    register();
    int orders = 3000;
    Reply lastWrite = null;
    for (int i = 1; i <= orders; i++) {
      lastWrite = record(String.format("order-%05d", i), 1, "PLACED", 1000L + i);
    }
    assertThat(lastWrite).isEqualTo(new Accepted(true));
    assertThat(serializedSize(lastWrite)).isLessThan(100);
    // an early order moves on: it becomes the most recently changed
    assertThat(record("order-00001", 2, "CONFIRMED", 5000)).isEqualTo(new Accepted(true));

    AppliedOrderEvents applied = user.getState().applied();
    assertThat(applied.orders()).hasSize(1000);
    assertThat(applied.orders().keySet())
        .contains("order-00001", "order-02002", "order-03000")
        .doesNotContain("order-00002", "order-02001");
    assertThat(applied.evictedUpTo()).isEqualTo(1000L + 2001);

    for (String evicted : java.util.List.of("order-00002", "order-02001")) {
      long at = 1000L + Integer.parseInt(evicted.substring(6));
      assertThat(record(evicted, 1, "PLACED", at)).as(evicted).isEqualTo(new Accepted(false));
    }
    assertThat(record("order-02500", 1, "PLACED", 3500)).isEqualTo(new Accepted(false));
    assertThat(record("order-00001", 2, "CONFIRMED", 5000)).isEqualTo(new Accepted(false));
    assertThat(record("order-00001", 1, "PLACED", 1001)).isEqualTo(new Accepted(false));
    // a new order is not taken for an old one
    assertThat(record("order-03001", 1, "PLACED", 6000)).isEqualTo(new Accepted(true));
    assertThat(serializedSize(user.<Reply>runCommand(UserFeed.Get::new).reply())).isLessThan(1024);
    assertThat(user.getState().applied().orders()).hasSize(1000);
  }

  private static int serializedSize(Object message) {
    return akka.serialization.SerializationExtension.get(
            akka.actor.typed.javadsl.Adapter.toClassic(testKit.system()))
        .serialize(message)
        .get()
        .length;
  }

  @Test
  void shipmentNoticesAreAppliedOnce() {
    register();
    record("o1", 1, "PLACED", 1);
    var booked =
        user.<Reply>runCommand(
            r ->
                new UserFeed.ApplyShipmentNotice(
                    "o1:BOOKED", "o1", "o1", "BOOKED", "RAMPART-POST", "RP1", r));
    assertThat(booked.event()).isInstanceOf(UserFeed.ShipmentNoticeApplied.class);
    assertThat(booked.state().applied().orders().get("o1").shipmentStatuses())
        .containsExactly("BOOKED");

    var duplicate =
        user.<Reply>runCommand(
            r ->
                new UserFeed.ApplyShipmentNotice(
                    "o1:BOOKED", "o1", "o1", "BOOKED", "RAMPART-POST", "RP1", r));
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(duplicate.state()).isEqualTo(booked.state());
  }

  @Test
  void stateSurvivesARestartFromTheJournal() {
    register();
    user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r));
    State before = user.getState();
    user.restart();
    assertThat(user.getState()).isEqualTo(before);
    // after recovery the dedupe memory is intact
    assertThat(
            user.<Reply>runCommand(
                    r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r))
                .hasNoEvents())
        .isTrue();
  }

  @Test
  void publishesEachAppliedChangeOnceOnTheUsersTopic() {
    var probe = testKit.<dev.rampart.proto.user.v1.Notification>createTestProbe();
    var topic = testKit.spawn(UserFeed.notificationTopic("alice"));
    var decoder =
        testKit.spawn(
            akka.actor.typed.javadsl.Behaviors.receiveMessage(
                (UserFeed.Published m) -> {
                  if (m instanceof UserFeed.Changed c) {
                    probe
                        .getRef()
                        .tell(dev.rampart.proto.user.v1.Notification.parseFrom(c.notification()));
                  }
                  return akka.actor.typed.javadsl.Behaviors.same();
                }));
    topic.tell(akka.actor.typed.pubsub.Topic.subscribe(decoder));
    register();
    // the entity's own topic instance learns of the subscriber through the receptionist: wait for
    // that
    var street = new java.util.concurrent.atomic.AtomicInteger();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () -> {
              user.<Reply>runCommand(
                  r ->
                      new UserFeed.ChangeAddress(
                          new Address(street.incrementAndGet() + " St", "Berlin", "10115", "DE"),
                          r));
              try {
                probe.receiveMessage(java.time.Duration.ofMillis(300));
                return true;
              } catch (AssertionError noneYet) {
                return false;
              }
            });
    // address changes still in flight come first, in order: skip them up to the order's notice
    user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r));
    var received =
        probe.fishForMessage(
            java.time.Duration.ofSeconds(5),
            n ->
                n.hasOrderRecorded()
                    ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                    : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    var recorded = received.get(received.size() - 1);
    assertThat(recorded.getOrderRecorded().getOrderId()).isEqualTo("o1");
    assertThat(recorded.getUserId()).isEqualTo("alice");
    assertThat(recorded.getNotificationId()).startsWith("alice:");

    // a duplicate notifies nobody: the next notice is the next order's, not o1 again
    user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, 1, r));
    user.<Reply>runCommand(r -> new UserFeed.RecordOrder("o2:1", "o2", 1, "PLACED", 300, 1, r));
    assertThat(probe.receiveMessage().getOrderRecorded().getOrderId()).isEqualTo("o2");
  }
}
