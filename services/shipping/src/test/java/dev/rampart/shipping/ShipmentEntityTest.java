package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.NoOffset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import akka.stream.javadsl.Sink;
import com.typesafe.config.ConfigFactory;
import dev.rampart.shipping.ShipmentEntity.Accepted;
import dev.rampart.shipping.ShipmentEntity.Address;
import dev.rampart.shipping.ShipmentEntity.CarrierEventRecorded;
import dev.rampart.shipping.ShipmentEntity.Command;
import dev.rampart.shipping.ShipmentEntity.Event;
import dev.rampart.shipping.ShipmentEntity.Outcome;
import dev.rampart.shipping.ShipmentEntity.Problem;
import dev.rampart.shipping.ShipmentEntity.Rejected;
import dev.rampart.shipping.ShipmentEntity.Reply;
import dev.rampart.shipping.ShipmentEntity.State;
import dev.rampart.shipping.ShipmentEntity.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Shipment entity alone, with the persistence testkit journal; every command, event and state
 * is serialized.
 */
class ShipmentEntityTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "akka.actor.serialization-bindings { \"dev.rampart.platform.CborSerializable\" ="
                      + " jackson-cbor }")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));
  private static final Address HOME = new Address("1 Main St", "Berlin", "10115", "DE");

  private EventSourcedBehaviorTestKit<Command, Event, State> shipment;

  @BeforeEach
  void fresh() {
    shipment =
        EventSourcedBehaviorTestKit.create(testKit.system(), ShipmentEntity.create("order-1"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void createIsIdempotentForTheSameCustomer() {
    var created = shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    assertThat(created.event()).isInstanceOf(ShipmentEntity.ShipmentCreated.class);
    assertThat(created.state().status()).isEqualTo(Status.CREATED);
    assertThat(created.state().orderId()).isEqualTo("order-1");

    var again = shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(new Accepted(created.state()));

    var otherCustomer =
        shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("mallory", HOME, r));
    assertThat(otherCustomer.hasNoEvents()).isTrue();
    assertThat(otherCustomer.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.ALREADY_EXISTS));
  }

  @Test
  void aCancelIsFinalIdempotentAndRefusedOncePickedUp() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    var cancelled = shipment.<Reply>runCommand(r -> new ShipmentEntity.Cancel("changed", r));
    assertThat(cancelled.event()).isInstanceOf(ShipmentEntity.ShipmentCancelled.class);
    assertThat(cancelled.state().status()).isEqualTo(Status.CANCELLED);
    assertThat(cancelled.state().carrier()).isEqualTo("DHL");
    var again = shipment.<Reply>runCommand(r -> new ShipmentEntity.Cancel("changed", r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(new Accepted(cancelled.state()));
    var late =
        shipment.<Reply>runCommand(
            r -> new ShipmentEntity.RecordCarrierEvent("e-1", Status.IN_TRANSIT, 1L, r));
    assertThat(late.hasNoEvents()).isTrue();
    assertThat(late.reply()).isEqualTo(new CarrierEventRecorded(Outcome.STALE, cancelled.state()));

    var other =
        EventSourcedBehaviorTestKit.<Command, Event, State>create(
            testKit.system(), ShipmentEntity.create("order-2"));
    other.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    other.<Reply>runCommand(
        r -> new ShipmentEntity.RecordCarrierEvent("e-1", Status.IN_TRANSIT, 1L, r));
    var refused = other.<Reply>runCommand(r -> new ShipmentEntity.Cancel("changed", r));
    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.PICKED_UP));
  }

  @Test
  void aCancelBeforeCreationIsATombstoneRefusingCreationAndBooking() {
    var tombstone = shipment.<Reply>runCommand(r -> new ShipmentEntity.Cancel("changed", r));
    assertThat(tombstone.state().status()).isEqualTo(Status.CANCELLED);
    for (var result :
        List.of(
            shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r)),
            shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r)))) {
      assertThat(result.hasNoEvents()).isTrue();
      assertThat(result.reply())
          .isInstanceOfSatisfying(
              Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.CANCELLED));
    }
    shipment.restart();
    assertThat(shipment.getState().status()).isEqualTo(Status.CANCELLED);
  }

  @Test
  void anUnknownShipmentCanNeitherBeReadNorBooked() {
    for (var result :
        List.of(
            shipment.<Reply>runCommand(ShipmentEntity.Get::new),
            shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r)))) {
      assertThat(result.hasNoEvents()).isTrue();
      assertThat(result.reply())
          .isInstanceOfSatisfying(
              Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.NOT_FOUND));
    }
  }

  @Test
  void bookingIsRecordedOnceAndTaggedAsANotice() throws Exception {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    var booked = shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    assertThat(booked.event()).isInstanceOf(ShipmentEntity.ShipmentBooked.class);
    assertThat(booked.state().status()).isEqualTo(Status.BOOKED);
    assertThat(booked.state().trackingCode()).isEqualTo("RP1");

    var redelivered =
        shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    assertThat(redelivered.hasNoEvents()).isTrue();
    assertThat(redelivered.reply()).isInstanceOf(Accepted.class);

    var different = shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("UPS", "X9", r));
    assertThat(different.hasNoEvents()).isTrue();
    assertThat(different.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.INVALID_TRANSITION));

    // the notice stream reads this tag: exactly the one booking carries it, the creation does not
    var tagged =
        PersistenceQuery.get(testKit.system())
            .getReadJournalFor(
                PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier())
            .currentEventsByTag("shipment-notice", NoOffset.getInstance())
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(tagged)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.persistenceId()).isEqualTo("Shipment|order-1");
              assertThat(e.event()).isEqualTo(booked.event());
            });
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Reply> carrier(
      String eventId, Status status) {
    return shipment.runCommand(
        r -> new ShipmentEntity.RecordCarrierEvent(eventId, status, 1_700_000_000_000L, r));
  }

  private static Outcome outcomeOf(
      EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Reply> result) {
    return ((CarrierEventRecorded) result.reply()).outcome();
  }

  @Test
  void carrierEventsMoveTheShipmentForwardOnlyAndDuplicatesChangeNothing() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));

    var pickedUp = carrier("e-1", Status.IN_TRANSIT);
    assertThat(outcomeOf(pickedUp)).isEqualTo(Outcome.APPLIED);
    assertThat(pickedUp.event())
        .isEqualTo(
            new ShipmentEntity.CarrierStatusChanged(
                "order-1",
                "e-1",
                Status.IN_TRANSIT,
                1_700_000_000_000L,
                ((ShipmentEntity.CarrierStatusChanged) pickedUp.event()).atEpochMillis(),
                "alice"));
    assertThat(pickedUp.state().status()).isEqualTo(Status.IN_TRANSIT);

    var duplicate = carrier("e-1", Status.IN_TRANSIT);
    assertThat(duplicate.hasNoEvents()).isTrue();
    assertThat(outcomeOf(duplicate)).isEqualTo(Outcome.DUPLICATE);

    // the carrier skips OUT_FOR_DELIVERY: still forward
    var delivered = carrier("e-3", Status.DELIVERED);
    assertThat(outcomeOf(delivered)).isEqualTo(Outcome.APPLIED);
    assertThat(delivered.state().status()).isEqualTo(Status.DELIVERED);

    // out of order: acknowledged, never a step back
    for (Status late : List.of(Status.OUT_FOR_DELIVERY, Status.IN_TRANSIT, Status.EXCEPTION)) {
      var result = carrier("late-" + late, late);
      assertThat(result.hasNoEvents()).as(late.name()).isTrue();
      assertThat(outcomeOf(result)).isEqualTo(Outcome.STALE);
      assertThat(result.state().status()).isEqualTo(Status.DELIVERED);
    }
    assertThat(shipment.getState().carrier()).isEqualTo("DHL");
    assertThat(shipment.getState().recentCarrierEventIds()).containsExactly("e-1", "e-3");
  }

  @Test
  void anExceptionIsFinal() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    assertThat(outcomeOf(carrier("e-1", Status.OUT_FOR_DELIVERY))).isEqualTo(Outcome.APPLIED);
    assertThat(outcomeOf(carrier("e-2", Status.EXCEPTION))).isEqualTo(Outcome.APPLIED);
    var afterwards = carrier("e-3", Status.DELIVERED);
    assertThat(outcomeOf(afterwards)).isEqualTo(Outcome.STALE);
    assertThat(afterwards.state().status()).isEqualTo(Status.EXCEPTION);
  }

  @Test
  void aCarrierEventBeforeTheBookingIsRecordedKeepsItsStatusWhenTheBookingArrives() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    assertThat(outcomeOf(carrier("e-1", Status.IN_TRANSIT))).isEqualTo(Outcome.APPLIED);
    var booked = shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    assertThat(booked.event()).isInstanceOf(ShipmentEntity.ShipmentBooked.class);
    assertThat(booked.state().status()).isEqualTo(Status.IN_TRANSIT);
    assertThat(booked.state().trackingCode()).isEqualTo("RP1");
    var again = shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void carrierEventsOfAnUnknownShipmentOrNotFromACarrierAreRejected() {
    var unknown = carrier("e-1", Status.IN_TRANSIT);
    assertThat(unknown.hasNoEvents()).isTrue();
    assertThat(unknown.reply())
        .isInstanceOfSatisfying(
            Rejected.class, rej -> assertThat(rej.problem()).isEqualTo(Problem.NOT_FOUND));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    var booked = carrier("e-2", Status.BOOKED);
    assertThat(booked.hasNoEvents()).isTrue();
    assertThat(booked.reply()).isInstanceOf(Rejected.class);
  }

  @Test
  void theRememberedCarrierEventIdsAreBounded() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    for (int i = 0; i < 50; i++) {
      carrier("retry-" + i, Status.IN_TRANSIT);
    }
    // only the first moved it; the 49 stale ones are not remembered: at most one id per status
    assertThat(shipment.getState().recentCarrierEventIds()).containsExactly("retry-0");
  }

  @Test
  void everyEventCarriesItsSliceTag() throws Exception {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    carrier("e-1", Status.IN_TRANSIT);
    var sliced =
        PersistenceQuery.get(testKit.system())
            .getReadJournalFor(
                PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier())
            .currentEventsByTag(ShipmentEntity.tagFor("order-1"), NoOffset.getInstance())
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(sliced)
        .filteredOn(e -> e.persistenceId().equals("Shipment|order-1"))
        .extracting(e -> e.event().getClass().getSimpleName())
        .containsExactly("ShipmentCreated", "ShipmentBooked", "CarrierStatusChanged");
  }

  @Test
  void stateSurvivesARestart() {
    shipment.<Reply>runCommand(r -> new ShipmentEntity.Create("alice", HOME, r));
    shipment.<Reply>runCommand(r -> new ShipmentEntity.MarkBooked("DHL", "RP1", r));
    carrier("e-1", Status.IN_TRANSIT);
    State before = shipment.getState();
    shipment.restart();
    assertThat(shipment.getState()).isEqualTo(before);
  }

  @Test
  void bookingIsAPureFunctionOfTheShipment() {
    var book = new CarrierBooking.Book("order-1", "alice", HOME);
    // the tracking code is "RP" and the unsigned String hash of the shipment id, 10 digits
    assertThat(CarrierBooking.book(book))
        .isEqualTo(new CarrierBooking.Booking("DHL", "RP3087855986"));
    assertThat(
            CarrierBooking.book(
                new CarrierBooking.Book(
                    "order-1", "bob", new Address("5 Rue X", "Paris", "75001", "FR"))))
        .isEqualTo(new CarrierBooking.Booking("RAMPART-POST", "RP3087855986"));
  }
}
