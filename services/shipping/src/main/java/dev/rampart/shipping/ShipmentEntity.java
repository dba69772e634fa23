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
import java.util.Set;

/**
 * One shipment, one per order (shipment id = order id): created, then booked with a carrier. Events
 * that a customer should hear about are tagged {@link #NOTICE_TAG}: that tag, read from the
 * journal, is the outbox of shipment notices the exchange stream sends to User (the journal's
 * ordering is the notice offset).
 */
public final class ShipmentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        ShipmentEntity.Command, ShipmentEntity.Event, ShipmentEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Shipment");
  public static final String NOTICE_TAG = "shipment-notice";

  public enum Status {
    CREATED,
    BOOKED
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

  // --- replies
  // ---------------------------------------------------------------------------------------------
  public sealed interface Reply extends CborSerializable {}

  public record Accepted(State shipment) implements Reply {}

  public enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS,
    INVALID_TRANSITION
  }

  public record Rejected(Problem problem, String message) implements Reply {}

  // --- events
  // ----------------------------------------------------------------------------------------------
  public sealed interface Event extends CborSerializable {}

  public record ShipmentCreated(
      String shipmentId, String customerId, Address address, long atEpochMillis) implements Event {}

  public record ShipmentBooked(
      String shipmentId, String customerId, String carrier, String trackingCode, long atEpochMillis)
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
      String trackingCode)
      implements CborSerializable {

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
    return new State(shipmentId, null, null, null, "", "");
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof ShipmentBooked ? Set.of(NOTICE_TAG) : Set.of();
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
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()));

    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> present =
        newCommandHandlerWithReplyBuilder().forState(State::exists);
    present
        .onCommand(Create.class, this::onCreateAgain)
        .onCommand(MarkBooked.class, this::onMarkBooked)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Accepted(state)));

    return absent.orElse(present).build();
  }

  /** CreateShipment is idempotent: the same order and customer get the existing shipment. */
  private ReplyEffect<Event, State> onCreateAgain(State state, Create cmd) {
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
    if (state.status() == Status.BOOKED) {
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

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            ShipmentCreated.class,
            (state, e) ->
                new State(shipmentId, e.customerId(), e.address(), Status.CREATED, "", ""))
        .onEvent(
            ShipmentBooked.class,
            (state, e) ->
                new State(
                    shipmentId,
                    state.customerId(),
                    state.address(),
                    Status.BOOKED,
                    e.carrier(),
                    e.trackingCode()))
        .build();
  }

  private Rejected notFound() {
    return new Rejected(Problem.NOT_FOUND, "shipment " + shipmentId + " does not exist");
  }
}
