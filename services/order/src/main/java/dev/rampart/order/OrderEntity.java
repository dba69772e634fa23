package dev.rampart.order;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.rampart.platform.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One order: a sharded, event-sourced entity. Lifecycle: {@code PLACED -> CONFIRMED -> SHIPPED ->
 * DELIVERED}, with {@code REJECTED} (from PLACED or CONFIRMED) and {@code CANCELLED} (before
 * shipping) as ends. Placing persists {@code Placed} and {@code Confirmed} in one atomic write, so
 * no order is left PLACED by a failure between the two. Every command is answered; an invalid
 * transition is answered with an error and persists nothing. A reply is sent only after its events
 * are in the journal.
 */
public final class OrderEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        OrderEntity.Command, OrderEntity.Event, OrderEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Order");

  /**
   * Events are tagged in slices so the projections run in parallel, one per tag, anywhere in the
   * cluster.
   */
  public static final List<String> TAGS = List.of("order-0", "order-1", "order-2", "order-3");

  public static String tagFor(String orderId) {
    return TAGS.get(Math.abs(orderId.hashCode() % TAGS.size()));
  }

  // --- model
  // ---------------------------------------------------------------------------------------------

  public enum Status {
    PLACED,
    CONFIRMED,
    REJECTED,
    CANCELLED,
    SHIPPED,
    DELIVERED
  }

  public record Line(String sku, int quantity, long unitPriceCents) implements CborSerializable {
    public long totalCents() {
      return quantity * unitPriceCents;
    }
  }

  /** What callers see of an order. */
  public record Summary(
      String orderId,
      String customerId,
      List<Line> lines,
      Status status,
      String shipmentId,
      long placedAtEpochMillis,
      String statusReason)
      implements CborSerializable {
    public long totalCents() {
      return lines.stream().mapToLong(Line::totalCents).sum();
    }
  }

  // --- commands
  // ------------------------------------------------------------------------------------------

  public interface Command extends CborSerializable {}

  /** {@code traceparent}: the placing request's trace, kept on the events it persists (or null). */
  public record Place(
      String customerId,
      List<Line> lines,
      long atEpochMillis,
      String traceparent,
      ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  /**
   * Only sent by nodes of the version that placed and confirmed in two steps (during a rolling
   * update); Place confirms by itself.
   */
  public record Confirm(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record Reject(String reason, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record Cancel(String reason, ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  public record MarkShipped(String shipmentId, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record MarkDelivered(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  /** Answers the summary, or an error when the order does not exist. */
  public record Get(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  /** Error text of a command on an order that was never placed (mapped to NOT_FOUND). */
  public static final String NOT_FOUND = "order not found";

  /**
   * Error text of a Place with other content than the existing order (mapped to ALREADY_EXISTS).
   */
  public static final String ALREADY_EXISTS = "order exists with other content";

  /** Prefix of every forbidden-transition error (mapped to FAILED_PRECONDITION). */
  public static final String INVALID_TRANSITION = "cannot move an order from ";

  // --- events
  // --------------------------------------------------------------------------------------------

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Placed.class, name = "placed"),
    @JsonSubTypes.Type(value = Confirmed.class, name = "confirmed"),
    @JsonSubTypes.Type(value = Rejected.class, name = "rejected"),
    @JsonSubTypes.Type(value = Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = Shipped.class, name = "shipped"),
    @JsonSubTypes.Type(value = Delivered.class, name = "delivered")
  })
  /**
   * Every event names its order's customer and item count, so the Kafka views need no state lookup.
   */
  public interface Event extends CborSerializable {
    String orderId();

    String customerId();

    int itemCount();

    long atEpochMillis();

    /**
     * The W3C traceparent of the request that caused the event, so the projections' calls and Kafka
     * records continue its trace; null for events without one (older events, internal steps).
     */
    default String traceparent() {
      return null;
    }
  }

  public record Placed(
      String orderId, String customerId, List<Line> lines, long atEpochMillis, String traceparent)
      implements Event {
    @Override
    public int itemCount() {
      return itemCountOf(lines);
    }
  }

  public record Confirmed(
      String orderId, String customerId, int itemCount, long atEpochMillis, String traceparent)
      implements Event {}

  public record Rejected(
      String orderId, String customerId, int itemCount, String reason, long atEpochMillis)
      implements Event {}

  public record Cancelled(
      String orderId, String customerId, int itemCount, String reason, long atEpochMillis)
      implements Event {}

  public record Shipped(
      String orderId, String customerId, int itemCount, String shipmentId, long atEpochMillis)
      implements Event {}

  public record Delivered(String orderId, String customerId, int itemCount, long atEpochMillis)
      implements Event {}

  static int itemCountOf(List<Line> lines) {
    return lines.stream().mapToInt(Line::quantity).sum();
  }

  // --- state
  // ---------------------------------------------------------------------------------------------

  /** {@code status == null}: never placed. */
  public record State(
      String orderId,
      String customerId,
      List<Line> lines,
      Status status,
      String shipmentId,
      long placedAtEpochMillis,
      String statusReason)
      implements CborSerializable {

    static State empty(String orderId) {
      return new State(orderId, "", List.of(), null, "", 0L, "");
    }

    public boolean placed() {
      return status != null;
    }

    State with(Status newStatus, String reason) {
      return new State(
          orderId, customerId, lines, newStatus, shipmentId, placedAtEpochMillis, reason);
    }

    Summary summary() {
      return new Summary(
          orderId, customerId, lines, status, shipmentId, placedAtEpochMillis, statusReason);
    }
  }

  // --- behaviour
  // -----------------------------------------------------------------------------------------

  private static final Set<Status> CANCELLABLE = Set.of(Status.PLACED, Status.CONFIRMED);
  private static final Set<Status> REJECTABLE = Set.of(Status.PLACED, Status.CONFIRMED);

  private final String orderId;
  private final String tag;

  private OrderEntity(String orderId) {
    super(
        PersistenceId.of(TYPE_KEY.name(), orderId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.orderId = orderId;
    this.tag = tagFor(orderId);
  }

  public static Behavior<Command> create(String orderId) {
    return new OrderEntity(orderId);
  }

  @Override
  public State emptyState() {
    return State.empty(orderId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tag);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> b = newCommandHandlerWithReplyBuilder();
    b.forState(s -> !s.placed())
        .onCommand(Place.class, this::place)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.error(NOT_FOUND)))
        .onAnyCommand(this::notPlaced);
    b.forAnyState()
        .onCommand(Place.class, (s, c) -> placeAgain(s, c))
        .onCommand(
            Get.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(s.summary())))
        .onCommand(
            Confirm.class,
            (s, c) ->
                transition(
                    s,
                    Status.CONFIRMED,
                    Set.of(Status.PLACED),
                    c.replyTo(),
                    new Confirmed(orderId, s.customerId(), itemCountOf(s.lines()), now(), null)))
        .onCommand(
            Reject.class,
            (s, c) ->
                transition(
                    s,
                    Status.REJECTED,
                    REJECTABLE,
                    c.replyTo(),
                    new Rejected(
                        orderId, s.customerId(), itemCountOf(s.lines()), c.reason(), now())))
        .onCommand(
            Cancel.class,
            (s, c) ->
                transition(
                    s,
                    Status.CANCELLED,
                    CANCELLABLE,
                    c.replyTo(),
                    new Cancelled(
                        orderId, s.customerId(), itemCountOf(s.lines()), c.reason(), now())))
        .onCommand(MarkShipped.class, this::markShipped)
        .onCommand(
            MarkDelivered.class,
            (s, c) ->
                transition(
                    s,
                    Status.DELIVERED,
                    Set.of(Status.SHIPPED),
                    c.replyTo(),
                    new Delivered(orderId, s.customerId(), itemCountOf(s.lines()), now())));
    return b.build();
  }

  private ReplyEffect<Event, State> place(State s, Place c) {
    if (c.customerId() == null
        || c.customerId().isBlank()
        || c.lines() == null
        || c.lines().isEmpty()) {
      return Effect()
          .reply(c.replyTo(), StatusReply.error("an order needs a customer and at least one line"));
    }
    Placed placed =
        new Placed(
            orderId, c.customerId(), List.copyOf(c.lines()), c.atEpochMillis(), c.traceparent());
    Confirmed confirmed =
        new Confirmed(
            orderId, c.customerId(), placed.itemCount(), c.atEpochMillis(), c.traceparent());
    // one AtomicWrite: both events are journaled in one transaction, or neither is
    return Effect()
        .persist(List.of(placed, confirmed))
        .thenReply(c.replyTo(), st -> StatusReply.success(st.summary()));
  }

  /**
   * Placing again with the same content is idempotent; different content is a conflict. An order
   * left PLACED by the earlier two-step placement is confirmed by the retry.
   */
  private ReplyEffect<Event, State> placeAgain(State s, Place c) {
    if (!s.customerId().equals(c.customerId()) || !s.lines().equals(c.lines())) {
      return Effect().reply(c.replyTo(), StatusReply.error(ALREADY_EXISTS));
    }
    if (s.status() == Status.PLACED) {
      return Effect()
          .persist(
              new Confirmed(
                  orderId, s.customerId(), itemCountOf(s.lines()), now(), c.traceparent()))
          .thenReply(c.replyTo(), st -> StatusReply.success(st.summary()));
    }
    return Effect().reply(c.replyTo(), StatusReply.success(s.summary()));
  }

  private ReplyEffect<Event, State> markShipped(State s, MarkShipped c) {
    if (s.status() == Status.SHIPPED && s.shipmentId().equals(c.shipmentId())) {
      return Effect()
          .reply(c.replyTo(), StatusReply.success(s.summary())); // redelivered: nothing changes
    }
    return transition(
        s,
        Status.SHIPPED,
        Set.of(Status.CONFIRMED),
        c.replyTo(),
        new Shipped(orderId, s.customerId(), itemCountOf(s.lines()), c.shipmentId(), now()));
  }

  private ReplyEffect<Event, State> transition(
      State s,
      Status target,
      Set<Status> from,
      ActorRef<StatusReply<Summary>> replyTo,
      Event event) {
    if (s.status() == target && target != Status.SHIPPED) {
      return Effect().reply(replyTo, StatusReply.success(s.summary())); // idempotent repeat
    }
    if (!from.contains(s.status())) {
      return Effect().reply(replyTo, StatusReply.error(invalidTransition(s.status(), target)));
    }
    return Effect().persist(event).thenReply(replyTo, st -> StatusReply.success(st.summary()));
  }

  private ReplyEffect<Event, State> notPlaced(State s, Command c) {
    ActorRef<StatusReply<Summary>> replyTo = null;
    if (c instanceof Confirm x) replyTo = x.replyTo();
    else if (c instanceof Reject x) replyTo = x.replyTo();
    else if (c instanceof Cancel x) replyTo = x.replyTo();
    else if (c instanceof MarkShipped x) replyTo = x.replyTo();
    else if (c instanceof MarkDelivered x) replyTo = x.replyTo();
    return replyTo == null
        ? Effect().noReply()
        : Effect().reply(replyTo, StatusReply.error(NOT_FOUND));
  }

  /** Error text of a forbidden transition (mapped to FAILED_PRECONDITION). */
  public static String invalidTransition(Status from, Status to) {
    return INVALID_TRANSITION + from + " to " + to;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Placed.class,
            (s, e) ->
                new State(
                    orderId, e.customerId(), e.lines(), Status.PLACED, "", e.atEpochMillis(), ""))
        .onEvent(Confirmed.class, (s, e) -> s.with(Status.CONFIRMED, ""))
        .onEvent(Rejected.class, (s, e) -> s.with(Status.REJECTED, e.reason()))
        .onEvent(Cancelled.class, (s, e) -> s.with(Status.CANCELLED, e.reason()))
        .onEvent(
            Shipped.class,
            (s, e) ->
                new State(
                    orderId,
                    s.customerId(),
                    s.lines(),
                    Status.SHIPPED,
                    e.shipmentId(),
                    s.placedAtEpochMillis(),
                    ""))
        .onEvent(Delivered.class, (s, e) -> s.with(Status.DELIVERED, ""))
        .build();
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
