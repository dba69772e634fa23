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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One user: registration, address, the order history built from Kafka {@code order-events} and the
 * shipment notices Shipping sends through the exchange stream. Both feeds are at-least-once, so the
 * entity remembers what it applied (order event ids, notice ids) and a redelivery changes nothing.
 * Every applied change is published on the user's pub-sub {@link Topic}, from which any node's
 * WatchNotifications stream reads; the journal is the durable copy a stream replays from. A {@link
 * Probe} is answered on the same topic, after every change published before it, which tells a new
 * stream that its subscription has reached the entity (see {@link NotificationWatcher}).
 */
public final class UserEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserEntity.Command, UserEntity.Event, UserEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "User");

  /**
   * Tag of the events that carry an address: the outbox Shipping reads through the exchange stream.
   */
  public static final String ADDRESS_TAG = "user-address";

  public record Address(String street, String city, String postalCode, String country)
      implements CborSerializable {}

  public record OrderSummary(
      String orderId, String status, long totalCents, long orderSequenceNr, String shipmentStatus)
      implements CborSerializable {}

  // --- commands
  // --------------------------------------------------------------------------------------------
  public sealed interface Command extends CborSerializable {}

  public record Register(String name, String email, Address address, ActorRef<Reply> replyTo)
      implements Command {}

  public record ChangeAddress(Address address, ActorRef<Reply> replyTo) implements Command {}

  /**
   * One record of {@code order-events}; {@code totalCents} is only meaningful for a placed order.
   */
  public record RecordOrder(
      String eventId,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** A shipment notice from Shipping; {@code noticeId} is stable across redeliveries. */
  public record ApplyShipmentNotice(
      String noticeId,
      String shipmentId,
      String orderId,
      String status,
      String carrier,
      String trackingCode,
      ActorRef<Reply> replyTo)
      implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Whether the user is registered: answered from the profile, no view of the history built. */
  public record CheckRegistered(ActorRef<Reply> replyTo) implements Command {}

  /**
   * The sequence number of the last event: where a WatchNotifications stream without resume id
   * starts.
   */
  public record GetPosition(ActorRef<Reply> replyTo) implements Command {}

  /** Answered with {@link Probed} on the user's topic, not with a reply. */
  public record Probe(String watchId) implements Command {}

  // --- replies
  // ---------------------------------------------------------------------------------------------
  public sealed interface Reply extends CborSerializable {}

  /**
   * A history update was applied ({@code changed}) or was a duplicate. Carries nothing of the
   * state: a reply must stay small however long the history grows (Artery's frame size is the
   * limit).
   */
  public record Accepted(boolean changed) implements Reply {}

  /**
   * The user's bounded view (Get, Register, ChangeAddress); {@code changed} is false for a read, a
   * duplicate or a no-op.
   */
  public record Current(UserView user, boolean changed) implements Reply {}

  /**
   * The profile plus at most the most recent {@code rampart.user.orders-in-view} orders (oldest of
   * them first, as in the history) and the number of orders in the whole history.
   */
  public record UserView(
      String userId,
      String name,
      String email,
      Address address,
      List<OrderSummary> recentOrders,
      int orderCount)
      implements CborSerializable {}

  /** The answer to {@link GetPosition}. */
  public record Position(long lastSequenceNr) implements Reply {}

  /** The answer to {@link CheckRegistered}. */
  public record Registration(boolean registered) implements Reply {}

  public enum Problem {
    NOT_FOUND,
    ALREADY_EXISTS
  }

  public record Rejected(Problem problem, String message) implements Reply {}

  // --- events
  // ----------------------------------------------------------------------------------------------
  public sealed interface Event extends CborSerializable {}

  public record Registered(
      String userId, String name, String email, Address address, long atEpochMillis)
      implements Event {}

  public record AddressChanged(String userId, Address address, long atEpochMillis)
      implements Event {}

  public record OrderRecorded(
      String eventId,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      long atEpochMillis)
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
  // -------------------------------------------------------------------------------------------
  public interface Published extends CborSerializable {}

  /** A persisted change: the serialized {@link Notification} of event {@code sequenceNr}. */
  public record Changed(long sequenceNr, byte[] notification) implements Published {}

  /** The answer to a {@link Probe}: every change up to {@code sequenceNr} was published before. */
  public record Probed(String watchId, long sequenceNr) implements Published {}

  // --- state
  // -----------------------------------------------------------------------------------------------
  /**
   * {@code name == null} until registered. Collections are copied on change: the state is
   * immutable.
   */
  public record State(
      String userId,
      String name,
      String email,
      Address address,
      Map<String, OrderSummary> orders,
      Set<String> processedEventIds,
      Set<String> appliedNoticeIds)
      implements CborSerializable {

    @JsonCreator
    public State {
      orders = orders == null ? Map.of() : orders;
      processedEventIds = processedEventIds == null ? Set.of() : processedEventIds;
      appliedNoticeIds = appliedNoticeIds == null ? Set.of() : appliedNoticeIds;
    }

    static State empty(String userId) {
      return new State(userId, null, null, null, Map.of(), Set.of(), Set.of());
    }

    public boolean registered() {
      return name != null;
    }

    public List<OrderSummary> orderHistory() {
      return List.copyOf(orders.values());
    }

    /** The profile and the last {@code maxOrders} orders of the history (in history order). */
    public UserView view(int maxOrders) {
      List<OrderSummary> all = orderHistory();
      List<OrderSummary> recent = all.subList(Math.max(0, all.size() - maxOrders), all.size());
      return new UserView(userId, name, email, address, List.copyOf(recent), all.size());
    }

    State register(Registered e) {
      return new State(
          userId, e.name(), e.email(), e.address(), orders, processedEventIds, appliedNoticeIds);
    }

    State withAddress(Address newAddress) {
      return new State(
          userId, name, email, newAddress, orders, processedEventIds, appliedNoticeIds);
    }

    State recordOrder(OrderRecorded e) {
      Map<String, OrderSummary> next = new LinkedHashMap<>(orders);
      OrderSummary known = orders.get(e.orderId());
      if (known == null) {
        next.put(
            e.orderId(),
            new OrderSummary(e.orderId(), e.status(), e.totalCents(), e.orderSequenceNr(), ""));
      } else if (e.orderSequenceNr() > known.orderSequenceNr()) {
        // Only a newer order event moves the status; the total is set once, by the placement.
        long total = e.totalCents() > 0 ? e.totalCents() : known.totalCents();
        next.put(
            e.orderId(),
            new OrderSummary(
                e.orderId(), e.status(), total, e.orderSequenceNr(), known.shipmentStatus()));
      }
      return new State(
          userId,
          name,
          email,
          address,
          next,
          plus(processedEventIds, e.eventId()),
          appliedNoticeIds);
    }

    State applyNotice(ShipmentNoticeApplied e) {
      Map<String, OrderSummary> next = new LinkedHashMap<>(orders);
      OrderSummary known =
          orders.getOrDefault(e.orderId(), new OrderSummary(e.orderId(), "", 0, 0, ""));
      next.put(
          e.orderId(),
          new OrderSummary(
              known.orderId(),
              known.status(),
              known.totalCents(),
              known.orderSequenceNr(),
              e.status()));
      return new State(
          userId,
          name,
          email,
          address,
          next,
          processedEventIds,
          plus(appliedNoticeIds, e.noticeId()));
    }

    private static Set<String> plus(Set<String> set, String element) {
      Set<String> next = new LinkedHashSet<>(set);
      next.add(element);
      return next;
    }
  }

  // --- behaviour
  // -------------------------------------------------------------------------------------------
  public static Behavior<Command> create(String userId) {
    return create(userId, Clock.systemUTC());
  }

  static Behavior<Command> create(String userId, Clock clock) {
    return Behaviors.setup(
        ctx ->
            new UserEntity(
                userId,
                clock,
                ctx.getSystem().settings().config().getInt("rampart.user.orders-in-view"),
                ctx));
  }

  public static PersistenceId persistenceId(String userId) {
    return PersistenceId.of(TYPE_KEY.name(), userId);
  }

  /**
   * The cluster-wide pub-sub topic of one user's notifications (v2: {@link Published}, which nodes
   * of the earlier version, publishing bare {@link Notification}s on v1, do not share).
   */
  public static Behavior<Topic.Command<Published>> notificationTopic(String userId) {
    return Topic.create(Published.class, "user-notifications-v2-" + userId);
  }

  private final String userId;
  private final Clock clock;
  private final int ordersInView;
  private final ActorContext<Command> context;
  private final ActorRef<Topic.Command<Published>> topic;

  private UserEntity(String userId, Clock clock, int ordersInView, ActorContext<Command> context) {
    super(persistenceId(userId));
    this.userId = userId;
    this.clock = clock;
    this.ordersInView = ordersInView;
    this.context = context;
    // Started with the entity, not at the first publish: a topic drops what it publishes before it
    // has
    // learned (through the receptionist) where the subscribers are.
    this.topic = context.spawn(notificationTopic(userId), "notifications");
  }

  @Override
  public State emptyState() {
    return State.empty(userId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof Registered || event instanceof AddressChanged
        ? Set.of(ADDRESS_TAG)
        : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
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

  /** Registering again is idempotent with the same data and a conflict with different data. */
  private ReplyEffect<Event, State> onRegisterAgain(State state, Register cmd) {
    boolean same =
        state.name().equals(cmd.name())
            && state.email().equals(cmd.email())
            && state.address().equals(cmd.address());
    return same
        ? Effect().reply(cmd.replyTo(), current(state, false))
        : Effect()
            .reply(
                cmd.replyTo(),
                new Rejected(
                    Problem.ALREADY_EXISTS,
                    "user " + userId + " is already registered with different data"));
  }

  private ReplyEffect<Event, State> onChangeAddress(State state, ChangeAddress cmd) {
    if (cmd.address().equals(state.address())) {
      return Effect().reply(cmd.replyTo(), current(state, false));
    }
    AddressChanged changed = new AddressChanged(userId, cmd.address(), now());
    return Effect()
        .persist(changed)
        .thenRun(after -> publish(changed))
        .thenReply(cmd.replyTo(), after -> current(after, true));
  }

  private ReplyEffect<Event, State> onRecordOrder(State state, RecordOrder cmd) {
    if (state.processedEventIds().contains(cmd.eventId())) {
      return Effect().reply(cmd.replyTo(), new Accepted(false));
    }
    OrderRecorded recorded =
        new OrderRecorded(
            cmd.eventId(),
            cmd.orderId(),
            cmd.orderSequenceNr(),
            cmd.status(),
            cmd.totalCents(),
            now());
    return Effect()
        .persist(recorded)
        .thenRun(after -> publish(recorded))
        .thenReply(cmd.replyTo(), after -> new Accepted(true));
  }

  private ReplyEffect<Event, State> onShipmentNotice(State state, ApplyShipmentNotice cmd) {
    if (state.appliedNoticeIds().contains(cmd.noticeId())) {
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
        .onEvent(Registered.class, State::register)
        .onEvent(AddressChanged.class, (state, e) -> state.withAddress(e.address()))
        .onEvent(OrderRecorded.class, State::recordOrder)
        .onEvent(ShipmentNoticeApplied.class, State::applyNotice)
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
    return new Current(state.view(ordersInView), changed);
  }

  private long now() {
    return clock.millis();
  }

  private Rejected unknown() {
    return new Rejected(Problem.NOT_FOUND, "user " + userId + " is not registered");
  }
}
