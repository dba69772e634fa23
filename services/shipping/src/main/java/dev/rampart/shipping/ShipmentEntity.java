package dev.rampart.shipping;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import dev.rampart.platform.CborSerializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One shipment, one per order (shipment id = order id): created, booked with a carrier, then moved
 * by the carrier's events {@code BOOKED -> IN_TRANSIT -> OUT_FOR_DELIVERY -> DELIVERED}, or to
 * {@code EXCEPTION}. The status only moves forward ({@link Status#rank}): a carrier event for a
 * status the shipment is at or past is acknowledged and changes nothing, and so is a repeat of a
 * recent carrier event id. That order, plus the few event ids applied (at most one per status), is
 * the whole dedupe state: bounded, not a set that grows.
 *
 * <p>Every event carries a slice tag ({@link #TAGS}), read by the Kafka publisher of {@code
 * shipment-events}. Events that a customer should hear about are also tagged {@link #NOTICE_TAG}:
 * that tag, read from the journal, is the outbox of shipment notices the exchange stream sends to
 * User (the journal's ordering is the notice offset).
 */
public final class ShipmentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        ShipmentEntity.Command, ShipmentEntity.Event, ShipmentEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Shipment");
  public static final String NOTICE_TAG = "shipment-notice";

  /**
   * Slice tags of every event, one Kafka-publisher projection each. Two, not Order's four: each
   * projection polls the journal even when idle, and shipments are one per order.
   */
  public static final List<String> TAGS = List.of("shipment-0", "shipment-1");

  public static String tagFor(String shipmentId) {
    return TAGS.get(Math.floorMod(shipmentId.hashCode(), TAGS.size()));
  }

  /** Carrier event ids remembered, the latest ones (one per status reached suffices). */
  static final int RECENT_CARRIER_EVENTS = 8;

  public enum Status {
    CREATED(0),
    BOOKED(1),
    IN_TRANSIT(2),
    OUT_FOR_DELIVERY(3),
    DELIVERED(4),
    /** Final, like DELIVERED: nothing moves a shipment out of it. */
    EXCEPTION(4),
    /**
     * Final: the order was cancelled before pickup. Above every carrier status, so any carrier
     * event after it is stale.
     */
    CANCELLED(5);

    /** A shipment never moves to a status of a lower or equal rank. */
    final int rank;

    Status(int rank) {
      this.rank = rank;
    }

    /** The statuses a carrier reports. */
    public boolean fromCarrier() {
      return rank >= IN_TRANSIT.rank && this != CANCELLED;
    }
  }

  /** What became of a carrier event. */
  public enum Outcome {
    APPLIED,
    DUPLICATE,
    STALE
  }

  public record Address(String street, String city, String postalCode, String country)
      implements CborSerializable {}

  // --- commands
  // --------------------------------------------------------------------------------------------
  public sealed interface Command extends CborSerializable {}

  public record Create(String customerId, Address address, ActorRef<Reply> replyTo)
      implements Command {}

  /** From the carrier booking; repeated deliveries of the same booking are no-ops. */
  public record MarkBooked(String carrier, String trackingCode, ActorRef<Reply> replyTo)
      implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /**
   * The order was cancelled: accepted while nothing is picked up (unknown: a tombstone, CREATED or
   * BOOKED: CANCELLED), idempotent when CANCELLED, refused once IN_TRANSIT or later.
   */
  public record Cancel(String reason, ActorRef<Reply> replyTo) implements Command {}

  /**
   * A carrier's event ({@code status} one of {@link Status#fromCarrier}); answered with {@link
   * CarrierEventRecorded} whether applied or not.
   */
  public record RecordCarrierEvent(
      String carrierEventId, Status status, long occurredAtEpochMillis, ActorRef<Reply> replyTo)
      implements Command {}

  // --- replies
  // ---------------------------------------------------------------------------------------------
  public sealed interface Reply extends CborSerializable {}

  public record Accepted(State shipment) implements Reply {}

  public enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS,
    INVALID_TRANSITION,
    /** Cancel too late: the carrier has the parcel. */
    PICKED_UP,
    /** Create or book a cancelled shipment. */
    CANCELLED
  }

  public record Rejected(Problem problem, String message) implements Reply {}

  public record CarrierEventRecorded(Outcome outcome, State shipment) implements Reply {}

  // --- events
  // ----------------------------------------------------------------------------------------------
  public sealed interface Event extends CborSerializable {}

  public record ShipmentCreated(
      String shipmentId, String customerId, Address address, long atEpochMillis) implements Event {}

  public record ShipmentBooked(
      String shipmentId, String customerId, String carrier, String trackingCode, long atEpochMillis)
      implements Event {}

  /**
   * The carrier moved the shipment forward. {@code customerId} addresses the customer's notice; it
   * is null in events written before notices followed the carrier (those were never notices).
   */
  public record CarrierStatusChanged(
      String shipmentId,
      String carrierEventId,
      Status status,
      long occurredAtEpochMillis,
      long atEpochMillis,
      String customerId)
      implements Event {}

  /**
   * The shipment is cancelled; {@code customerId} is empty and {@code carrier} empty for a
   * tombstone (cancelled before created), {@code carrier} non-empty when a booking was made.
   */
  public record ShipmentCancelled(
      String shipmentId, String customerId, String carrier, String reason, long atEpochMillis)
      implements Event {}

  // --- state
  // -----------------------------------------------------------------------------------------------
  /** {@code status == null} until created. */
  public record State(
      String shipmentId,
      String customerId,
      Address address,
      Status status,
      String carrier,
      String trackingCode,
      List<String> recentCarrierEventIds)
      implements CborSerializable {

    public State {
      recentCarrierEventIds = recentCarrierEventIds == null ? List.of() : recentCarrierEventIds;
    }

    public boolean exists() {
      return status != null;
    }

    /** The order this shipment belongs to (shipment id = order id). */
    public String orderId() {
      return shipmentId;
    }
  }

  public static Behavior<Command> create(String shipmentId) {
    return new ShipmentEntity(shipmentId, Clock.systemUTC());
  }

  private final String shipmentId;
  private final Clock clock;

  private ShipmentEntity(String shipmentId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), shipmentId));
    this.shipmentId = shipmentId;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State(shipmentId, null, null, null, "", "", List.of());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    String slice = tagFor(shipmentId);
    // the customer hears of the booking and of every step the carrier reports
    return event instanceof ShipmentBooked || event instanceof CarrierStatusChanged
        ? Set.of(NOTICE_TAG, slice)
        : Set.of(slice);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> absent =
        newCommandHandlerWithReplyBuilder().forState(state -> !state.exists());
    absent
        .onCommand(
            Create.class,
            (state, cmd) ->
                Effect()
                    .persist(
                        new ShipmentCreated(
                            shipmentId, cmd.customerId(), cmd.address(), clock.millis()))
                    .thenReply(cmd.replyTo(), Accepted::new))
        .onCommand(MarkBooked.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            RecordCarrierEvent.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(Cancel.class, this::onCancel);

    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> present =
        newCommandHandlerWithReplyBuilder().forState(State::exists);
    present
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Create.class, this::onCreateAgain)
        .onCommand(MarkBooked.class, this::onMarkBooked)
        .onCommand(RecordCarrierEvent.class, this::onCarrierEvent)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Accepted(state)));

    return absent.orElse(present).build();
  }

  private ReplyEffect<Event, State> onCancel(State state, Cancel cmd) {
    if (state.status() == Status.CANCELLED) {
      return Effect().reply(cmd.replyTo(), new Accepted(state));
    }
    if (state.exists() && state.status().rank >= Status.IN_TRANSIT.rank) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new Rejected(
                  Problem.PICKED_UP,
                  "shipment " + shipmentId + " is picked up (" + state.status() + ")"));
    }
    return Effect()
        .persist(
            new ShipmentCancelled(
                shipmentId,
                state.exists() ? state.customerId() : "",
                state.carrier(),
                cmd.reason(),
                clock.millis()))
        .thenReply(cmd.replyTo(), Accepted::new);
  }

  /**
   * CreateShipment is idempotent: the same order and customer get the existing shipment; a
   * cancelled one (or its tombstone) is never created again.
   */
  private ReplyEffect<Event, State> onCreateAgain(State state, Create cmd) {
    if (state.status() == Status.CANCELLED) {
      return Effect().reply(cmd.replyTo(), cancelled());
    }
    return state.customerId().equals(cmd.customerId())
        ? Effect().reply(cmd.replyTo(), new Accepted(state))
        : Effect()
            .reply(
                cmd.replyTo(),
                new Rejected(
                    Problem.ALREADY_EXISTS,
                    "shipment " + shipmentId + " exists for another customer"));
  }

  private ReplyEffect<Event, State> onMarkBooked(State state, MarkBooked cmd) {
    if (state.status() == Status.CANCELLED) {
      // booked while (or after) being cancelled: the booking must be cancelled at the carrier
      return Effect().reply(cmd.replyTo(), cancelled());
    }
    // a carrier may report before its booking is recorded here: then the status is past BOOKED
    // but no carrier is known yet, and the booking is recorded without moving the status back
    if (!state.carrier().isEmpty()) {
      boolean same =
          state.carrier().equals(cmd.carrier()) && state.trackingCode().equals(cmd.trackingCode());
      return same
          ? Effect().reply(cmd.replyTo(), new Accepted(state))
          : Effect()
              .reply(
                  cmd.replyTo(),
                  new Rejected(
                      Problem.INVALID_TRANSITION,
                      "shipment " + shipmentId + " is already booked with " + state.carrier()));
    }
    return Effect()
        .persist(
            new ShipmentBooked(
                shipmentId, state.customerId(), cmd.carrier(), cmd.trackingCode(), clock.millis()))
        .thenReply(cmd.replyTo(), Accepted::new);
  }

  private ReplyEffect<Event, State> onCarrierEvent(State state, RecordCarrierEvent cmd) {
    if (!cmd.status().fromCarrier()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new Rejected(
                  Problem.INVALID_TRANSITION, "a carrier does not report " + cmd.status()));
    }
    if (state.status() == Status.CANCELLED) {
      // the carrier's news of a cancelled parcel: acknowledged, changes nothing
      return Effect().reply(cmd.replyTo(), new CarrierEventRecorded(Outcome.STALE, state));
    }
    if (state.recentCarrierEventIds().contains(cmd.carrierEventId())) {
      return Effect().reply(cmd.replyTo(), new CarrierEventRecorded(Outcome.DUPLICATE, state));
    }
    if (cmd.status().rank <= state.status().rank) {
      // late or repeated news (IN_TRANSIT after DELIVERED): acknowledged, never a step back
      return Effect().reply(cmd.replyTo(), new CarrierEventRecorded(Outcome.STALE, state));
    }
    return Effect()
        .persist(
            new CarrierStatusChanged(
                shipmentId,
                cmd.carrierEventId(),
                cmd.status(),
                cmd.occurredAtEpochMillis(),
                clock.millis(),
                state.customerId()))
        .thenReply(cmd.replyTo(), st -> new CarrierEventRecorded(Outcome.APPLIED, st));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            ShipmentCreated.class,
            (state, e) ->
                new State(
                    shipmentId, e.customerId(), e.address(), Status.CREATED, "", "", List.of()))
        .onEvent(
            ShipmentBooked.class,
            (state, e) ->
                new State(
                    shipmentId,
                    state.customerId(),
                    state.address(),
                    state.status().rank > Status.BOOKED.rank ? state.status() : Status.BOOKED,
                    e.carrier(),
                    e.trackingCode(),
                    state.recentCarrierEventIds()))
        .onEvent(
            CarrierStatusChanged.class,
            (state, e) ->
                new State(
                    shipmentId,
                    state.customerId(),
                    state.address(),
                    e.status(),
                    state.carrier(),
                    state.trackingCode(),
                    remember(state.recentCarrierEventIds(), e.carrierEventId())))
        .onEvent(
            ShipmentCancelled.class,
            (state, e) ->
                new State(
                    shipmentId,
                    e.customerId(),
                    state.address(),
                    Status.CANCELLED,
                    state.carrier(),
                    state.trackingCode(),
                    state.recentCarrierEventIds()))
        .build();
  }

  private static List<String> remember(List<String> recent, String eventId) {
    List<String> ids = new ArrayList<>(recent);
    ids.add(eventId);
    return List.copyOf(ids.subList(Math.max(0, ids.size() - RECENT_CARRIER_EVENTS), ids.size()));
  }

  private Rejected cancelled() {
    return new Rejected(Problem.CANCELLED, "shipment " + shipmentId + " is cancelled");
  }

  private Rejected notFound() {
    return new Rejected(Problem.NOT_FOUND, "shipment " + shipmentId + " does not exist");
  }
}
