package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonCreator;
import dev.rampart.platform.CborSerializable;
import dev.rampart.proto.user.v1.Notification;
import java.time.Clock;
import java.util.Set;

/**
 * A user's notification feed: the journal of everything the user is notified of — their profile
 * changes, the order events from Kafka {@code order-events}, the shipment notices from Shipping —
 * one event each, in one sequence, so that a notification's id is {@code <user>:<sequence number>}
 * and a WatchNotifications stream replays exactly this journal. The state is small and bounded: the
 * {@link UserProfile} (Register, ChangeAddress and CheckCustomer are answered from it alone) and
 * the {@link AppliedOrderEvents} that make both at-least-once inputs idempotent. The order history
 * is not here: it is the {@link OrderHistory} read model, projected from this journal.
 *
 * <p>Every applied change is published on the user's pub-sub {@link Topic}; a {@link Probe} is
 * answered on the same topic, after every change published before it (see {@link
 * NotificationWatcher}).
 *
 * <p>Type key and persistence id ({@code User|<user>}) are those of the earlier {@code UserEntity},
 * whose journals, ids and snapshots this entity reads ({@link LegacyUserEntityEvents}, {@link
 * LegacyUserEntityState}).
 */
public final class UserFeed
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserFeed.Command, UserFeed.Event, UserFeed.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "User");

  /**
   * Tag of the events that carry an address: the outbox Shipping reads through the exchange stream.
   */
  public static final String ADDRESS_TAG = "user-address";

  // --- commands
  public sealed interface Command extends CborSerializable {}

  public record Register(
      String name, String email, UserProfile.Address address, ActorRef<Reply> replyTo)
      implements Command {}

  public record ChangeAddress(UserProfile.Address address, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * One record of {@code order-events}; {@code totalCents} is only meaningful for a placed order,
   * {@code orderEventAtMillis} is the order event's own time.
   */
  public record RecordOrder(
      String eventId,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      long orderEventAtMillis,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** A shipment notice from Shipping; applied once per order and shipment status. */
  public record ApplyShipmentNotice(
      String noticeId,
      String shipmentId,
      String orderId,
      String status,
      String carrier,
      String trackingCode,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** The profile and the feed's position. */
  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Whether the user is registered: answered from the profile alone. */
  public record CheckRegistered(ActorRef<Reply> replyTo) implements Command {}

  /** The sequence number of the last event: where a stream without resume id starts. */
  public record GetPosition(ActorRef<Reply> replyTo) implements Command {}

  /** Answered with {@link Probed} on the user's topic, not with a reply. */
  public record Probe(String watchId) implements Command {}

  // --- replies
  public sealed interface Reply extends CborSerializable {}

  /** An order event or notice was applied ({@code changed}) or was a duplicate. */
  public record Accepted(boolean changed) implements Reply {}

  /**
   * The profile, and the feed's last sequence number: the order history is read up to it, so a
   * reply shows every order event the feed had applied.
   */
  public record Current(UserProfile profile, long position, boolean changed) implements Reply {}

  public record Position(long lastSequenceNr) implements Reply {}

  public record Registration(boolean registered) implements Reply {}

  public enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS
  }

  public record Rejected(Problem problem, String message) implements Reply {}

  // --- events (the earlier UserEntity's, same fields; OrderRecorded gained orderEventAtMillis)
  public sealed interface Event extends CborSerializable {}

  public record Registered(
      String userId, String name, String email, UserProfile.Address address, long atEpochMillis)
      implements Event {}

  public record AddressChanged(String userId, UserProfile.Address address, long atEpochMillis)
      implements Event {}

  /** {@code orderEventAtMillis} is 0 in events written before it existed. */
  public record OrderRecorded(
      String eventId,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      long atEpochMillis,
      long orderEventAtMillis)
      implements Event {}

  public record ShipmentNoticeApplied(
      String noticeId,
      String shipmentId,
      String orderId,
      String status,
      String carrier,
      String trackingCode,
      long atEpochMillis)
      implements Event {}

  // --- published on the user's topic
  public interface Published extends CborSerializable {}

  /** A persisted change: the serialized {@link Notification} of event {@code sequenceNr}. */
  public record Changed(long sequenceNr, byte[] notification) implements Published {}

  /** The answer to a {@link Probe}: every change up to {@code sequenceNr} was published before. */
  public record Probed(String watchId, long sequenceNr) implements Published {}

  // --- state
  /** {@code profile == null} until registered. */
  public record State(String userId, UserProfile profile, AppliedOrderEvents applied)
      implements CborSerializable {
    @JsonCreator
    public State {
      applied = applied == null ? AppliedOrderEvents.NONE : applied;
    }

    public boolean registered() {
      return profile != null;
    }
  }

  // --- behaviour
  public static Behavior<Command> create(String userId) {
    return create(userId, Clock.systemUTC());
  }

  static Behavior<Command> create(String userId, Clock clock) {
    return Behaviors.setup(
        ctx ->
            new UserFeed(
                userId,
                clock,
                ctx.getSystem().settings().config().getInt("rampart.user.dedupe-orders"),
                ctx));
  }

  public static PersistenceId persistenceId(String userId) {
    return PersistenceId.of(TYPE_KEY.name(), userId);
  }

  /**
   * The cluster-wide pub-sub topic of one user's notifications (v3: {@link UserFeed.Published},
   * whose class names are not the earlier UserEntity's on v2, so old and new nodes do not mix
   * them).
   */
  public static Behavior<Topic.Command<Published>> notificationTopic(String userId) {
    return Topic.create(Published.class, "user-notifications-v3-" + userId);
  }

  private final String userId;
  private final Clock clock;
  private final int dedupeOrders;
  private final ActorContext<Command> context;
  private final ActorRef<Topic.Command<Published>> topic;

  private UserFeed(String userId, Clock clock, int dedupeOrders, ActorContext<Command> context) {
    super(persistenceId(userId));
    this.userId = userId;
    this.clock = clock;
    this.dedupeOrders = dedupeOrders;
    this.context = context;
    // Started with the entity, not at the first publish: a topic drops what it publishes before it
    // has learned (through the receptionist) where the subscribers are.
    this.topic = context.spawn(notificationTopic(userId), "notifications");
  }

  @Override
  public State emptyState() {
    return new State(userId, null, AppliedOrderEvents.NONE);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof Registered || event instanceof AddressChanged
        ? Set.of(ADDRESS_TAG)
        : Set.of(OrderHistoryProjection.tagFor(userId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Events are kept (no deleteEventsOnSnapshot): they are the notifications a stream replays and
    // what the order history is projected from.
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> unregistered =
        newCommandHandlerWithReplyBuilder().forState(state -> !state.registered());
    unregistered
        .onCommand(
            Register.class,
            (state, cmd) ->
                Effect()
                    .persist(new Registered(userId, cmd.name(), cmd.email(), cmd.address(), now()))
                    .thenReply(cmd.replyTo(), after -> current(after, true)))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), unknown()))
        .onCommand(
            CheckRegistered.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), new Registration(false)))
        .onCommand(GetPosition.class, (state, cmd) -> Effect().reply(cmd.replyTo(), unknown()))
        .onCommand(Probe.class, (state, cmd) -> Effect().noReply())
        .onCommand(ChangeAddress.class, (state, cmd) -> Effect().reply(cmd.replyTo(), unknown()))
        .onCommand(RecordOrder.class, (state, cmd) -> Effect().reply(cmd.replyTo(), unknown()))
        .onCommand(
            ApplyShipmentNotice.class, (state, cmd) -> Effect().reply(cmd.replyTo(), unknown()));

    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> registered =
        newCommandHandlerWithReplyBuilder().forState(State::registered);
    registered
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), current(state, false)))
        .onCommand(
            CheckRegistered.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), new Registration(true)))
        .onCommand(
            GetPosition.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), new Position(lastSequenceNumber(context))))
        .onCommand(
            Probe.class,
            (state, cmd) -> {
              topic.tell(Topic.publish(new Probed(cmd.watchId(), lastSequenceNumber(context))));
              return Effect().noReply();
            })
        .onCommand(ChangeAddress.class, this::onChangeAddress)
        .onCommand(RecordOrder.class, this::onRecordOrder)
        .onCommand(ApplyShipmentNotice.class, this::onShipmentNotice);

    return unregistered.orElse(registered).build();
  }

  private ReplyEffect<Event, State> onRegisterAgain(State state, Register cmd) {
    return state.profile().sameRegistration(cmd.name(), cmd.email(), cmd.address())
        ? Effect().reply(cmd.replyTo(), current(state, false))
        : Effect()
            .reply(
                cmd.replyTo(),
                new Rejected(
                    Problem.ALREADY_EXISTS,
                    "user " + userId + " is already registered with different data"));
  }

  private ReplyEffect<Event, State> onChangeAddress(State state, ChangeAddress cmd) {
    if (cmd.address().equals(state.profile().address())) {
      return Effect().reply(cmd.replyTo(), current(state, false));
    }
    AddressChanged changed = new AddressChanged(userId, cmd.address(), now());
    return Effect()
        .persist(changed)
        .thenRun(after -> publish(changed))
        .thenReply(cmd.replyTo(), after -> current(after, true));
  }

  private ReplyEffect<Event, State> onRecordOrder(State state, RecordOrder cmd) {
    if (state
        .applied()
        .hasApplied(cmd.orderId(), cmd.orderSequenceNr(), cmd.orderEventAtMillis())) {
      return Effect().reply(cmd.replyTo(), new Accepted(false));
    }
    OrderRecorded recorded =
        new OrderRecorded(
            cmd.eventId(),
            cmd.orderId(),
            cmd.orderSequenceNr(),
            cmd.status(),
            cmd.totalCents(),
            now(),
            cmd.orderEventAtMillis());
    return Effect()
        .persist(recorded)
        .thenRun(after -> publish(recorded))
        .thenReply(cmd.replyTo(), after -> new Accepted(true));
  }

  private ReplyEffect<Event, State> onShipmentNotice(State state, ApplyShipmentNotice cmd) {
    if (state.applied().hasNoticed(cmd.orderId(), cmd.status())) {
      return Effect().reply(cmd.replyTo(), new Accepted(false));
    }
    ShipmentNoticeApplied applied =
        new ShipmentNoticeApplied(
            cmd.noticeId(),
            cmd.shipmentId(),
            cmd.orderId(),
            cmd.status(),
            cmd.carrier(),
            cmd.trackingCode(),
            now());
    return Effect()
        .persist(applied)
        .thenRun(after -> publish(applied))
        .thenReply(cmd.replyTo(), after -> new Accepted(true));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Registered.class,
            (state, e) ->
                new State(
                    userId,
                    new UserProfile(userId, e.name(), e.email(), e.address()),
                    state.applied()))
        .onEvent(
            AddressChanged.class,
            (state, e) ->
                new State(userId, state.profile().withAddress(e.address()), state.applied()))
        .onEvent(
            OrderRecorded.class,
            (state, e) ->
                new State(
                    userId,
                    state.profile(),
                    state
                        .applied()
                        .withOrderEvent(
                            e.orderId(),
                            e.orderSequenceNr(),
                            e.orderEventAtMillis(),
                            dedupeOrders)))
        .onEvent(
            ShipmentNoticeApplied.class,
            (state, e) ->
                new State(
                    userId,
                    state.profile(),
                    state.applied().withNotice(e.orderId(), e.status(), dedupeOrders)))
        .build();
  }

  /**
   * Published after the event is persisted, as the notification a replay of the journal would give:
   * the id (user and sequence number) lets clients dedupe.
   */
  private void publish(Event persisted) {
    long seqNr = lastSequenceNumber(context);
    Notifications.of(userId, seqNr, persisted)
        .ifPresent(n -> topic.tell(Topic.publish(new Changed(seqNr, n.toByteArray()))));
  }

  private Current current(State state, boolean changed) {
    return new Current(state.profile(), lastSequenceNumber(context), changed);
  }

  private long now() {
    return clock.millis();
  }

  private Rejected unknown() {
    return new Rejected(Problem.NOT_FOUND, "user " + userId + " is not registered");
  }
}
