package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.typesafe.config.ConfigFactory;
import dev.rampart.user.UserEntity.Accepted;
import dev.rampart.user.UserEntity.Address;
import dev.rampart.user.UserEntity.Command;
import dev.rampart.user.UserEntity.Current;
import dev.rampart.user.UserEntity.Event;
import dev.rampart.user.UserEntity.Problem;
import dev.rampart.user.UserEntity.Rejected;
import dev.rampart.user.UserEntity.Reply;
import dev.rampart.user.UserEntity.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The User entity alone, with the persistence testkit journal; every command, event and state is
 * serialized.
 */
class UserEntityTest {
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
    user = EventSourcedBehaviorTestKit.create(testKit.system(), UserEntity.create("alice"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, Reply> register() {
    return user.runCommand(r -> new UserEntity.Register("Alice", "alice@example.com", HOME, r));
  }

  @Test
  void registersOnceAndIsIdempotentWithSameData() {
    var first = register();
    assertThat(first.event()).isInstanceOf(UserEntity.Registered.class);
    assertThat(first.reply()).isEqualTo(new Current(first.state().view(100), true));

    var again = register();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(((Current) again.reply()).changed()).isFalse();

    var conflicting =
        user.<Reply>runCommand(
            r -> new UserEntity.Register("Mallory", "alice@example.com", HOME, r));
    assertThat(conflicting.hasNoEvents()).isTrue();
    assertThat(conflicting.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.ALREADY_EXISTS));
  }

  @Test
  void commandsOnAnUnregisteredUserAreRejectedWithoutEvents() {
    var get = user.<Reply>runCommand(UserEntity.Get::new);
    var change = user.<Reply>runCommand(r -> new UserEntity.ChangeAddress(WORK, r));
    var order =
        user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 500, r));
    var notice =
        user.<Reply>runCommand(
            r ->
                new UserEntity.ApplyShipmentNotice("o1:BOOKED", "o1", "o1", "BOOKED", "c", "t", r));
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
    var change = user.<Reply>runCommand(r -> new UserEntity.ChangeAddress(WORK, r));
    assertThat(change.event())
        .isEqualTo(
            new UserEntity.AddressChanged(
                "alice", WORK, ((UserEntity.AddressChanged) change.event()).atEpochMillis()));
    assertThat(change.state().address()).isEqualTo(WORK);
    assertThat(user.<Reply>runCommand(r -> new UserEntity.ChangeAddress(WORK, r)).hasNoEvents())
        .isTrue();
  }

  @Test
  void aRedeliveredOrderEventChangesNothing() {
    register();
    var placed =
        user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
    assertThat(placed.event()).isInstanceOf(UserEntity.OrderRecorded.class);
    var confirmed =
        user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:2", "o1", 2, "CONFIRMED", 0, r));
    assertThat(confirmed.state().orders().get("o1"))
        .isEqualTo(new UserEntity.OrderSummary("o1", "CONFIRMED", 1250, 2, ""));

    var redelivered =
        user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
    assertThat(redelivered.hasNoEvents()).isTrue();
    assertThat(((Accepted) redelivered.reply()).changed()).isFalse();
    assertThat(redelivered.state()).isEqualTo(confirmed.state());
  }

  @Test
  void aLongHistoryKeepsEveryReplySmall() {
    register();
    int orders = 3000;
    Reply lastWrite = null;
    for (int i = 1; i <= orders; i++) {
      String id = String.format("order-%05d", i);
      lastWrite =
          user.<Reply>runCommand(
                  r -> new UserEntity.RecordOrder(id + ":1", id, 1, "PLACED", 100, r))
              .reply();
    }
    assertThat(lastWrite).isEqualTo(new Accepted(true));
    assertThat(serializedSize(lastWrite)).isLessThan(100);

    var get = user.<Reply>runCommand(UserEntity.Get::new);
    assertThat(get.reply())
        .isInstanceOfSatisfying(
            Current.class,
            current -> {
              // reference.conf's orders-in-view: the newest 100, in history order.
              assertThat(current.user().orderCount()).isEqualTo(orders);
              assertThat(current.user().recentOrders()).hasSize(100);
              assertThat(current.user().recentOrders().get(0).orderId()).isEqualTo("order-02901");
              assertThat(current.user().recentOrders().get(99).orderId()).isEqualTo("order-03000");
            });
    assertThat(serializedSize(get.reply())).isLessThan(32 * 1024);
    var move = user.<Reply>runCommand(r -> new UserEntity.ChangeAddress(WORK, r));
    assertThat(serializedSize(move.reply())).isLessThan(32 * 1024);
  }

  private static int serializedSize(Reply reply) {
    return akka.serialization.SerializationExtension.get(
            akka.actor.typed.javadsl.Adapter.toClassic(testKit.system()))
        .serialize(reply)
        .get()
        .length;
  }

  @Test
  void aStaleOrderEventWithANewIdDoesNotMoveTheStatusBack() {
    register();
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:2", "o1", 2, "CONFIRMED", 0, r));
    var stale =
        user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 900, r));
    assertThat(stale.state().orders().get("o1").status()).isEqualTo("CONFIRMED");
  }

  @Test
  void shipmentNoticesAreAppliedOnce() {
    register();
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
    var booked =
        user.<Reply>runCommand(
            r ->
                new UserEntity.ApplyShipmentNotice(
                    "o1:BOOKED", "o1", "o1", "BOOKED", "RAMPART-POST", "RP1", r));
    assertThat(booked.event()).isInstanceOf(UserEntity.ShipmentNoticeApplied.class);
    assertThat(booked.state().orders().get("o1").shipmentStatus()).isEqualTo("BOOKED");
    assertThat(booked.state().orders().get("o1").status()).isEqualTo("PLACED");

    var duplicate =
        user.<Reply>runCommand(
            r ->
                new UserEntity.ApplyShipmentNotice(
                    "o1:BOOKED", "o1", "o1", "BOOKED", "RAMPART-POST", "RP1", r));
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(duplicate.state()).isEqualTo(booked.state());
  }

  @Test
  void stateSurvivesARestartFromTheJournal() {
    register();
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
    State before = user.getState();
    user.restart();
    assertThat(user.getState()).isEqualTo(before);
    // after recovery the dedupe memory is intact
    assertThat(
            user.<Reply>runCommand(
                    r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r))
                .hasNoEvents())
        .isTrue();
  }

  @Test
  void publishesEachAppliedChangeOnceOnTheUsersTopic() {
    var probe = testKit.<dev.rampart.proto.user.v1.Notification>createTestProbe();
    var topic = testKit.spawn(UserEntity.notificationTopic("alice"));
    var decoder =
        testKit.spawn(
            akka.actor.typed.javadsl.Behaviors.receiveMessage(
                (UserEntity.Published m) -> {
                  if (m instanceof UserEntity.Changed c) {
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
                      new UserEntity.ChangeAddress(
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
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
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
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o1:1", "o1", 1, "PLACED", 1250, r));
    user.<Reply>runCommand(r -> new UserEntity.RecordOrder("o2:1", "o2", 1, "PLACED", 300, r));
    assertThat(probe.receiveMessage().getOrderRecorded().getOrderId()).isEqualTo("o2");
  }
}
