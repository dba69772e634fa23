package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.fasterxml.jackson.annotation.JsonCreator;
import dev.rampart.platform.CborSerializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's order history, the read model of their {@link UserFeed}: the feed's order events and
 * shipment notices folded into one summary per order. Fed by {@link OrderHistoryProjection} in the
 * feed's sequence: it remembers the last feed sequence number it applied, so a batch that comes
 * again (the projection is at least once, and GetUser catches up too) changes nothing, and that one
 * number is all the dedupe there is. A stale order event never moves an order's status back (the
 * order's own sequence number).
 */
public final class OrderHistory
    extends EventSourcedBehaviorWithEnforcedReplies<
        OrderHistory.Command, OrderHistory.Event, OrderHistory.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "OrderHistory");

  public record OrderSummary(
      String orderId, String status, long totalCents, long orderSequenceNr, String shipmentStatus)
      implements CborSerializable {}

  /**
   * One feed event the history uses, at feed sequence number {@code feedSeqNr}: an order event
   * ({@code status} set) or a shipment notice ({@code shipmentStatus} set).
   */
  public record FeedEntry(
      long feedSeqNr,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      String shipmentStatus)
      implements CborSerializable {}

  // --- commands
  public sealed interface Command extends CborSerializable {}

  /**
   * The feed's events {@code from..upTo} (those the history uses): applied if the history is at
   * {@code from - 1} or beyond, else nothing (a gap). Answered with the feed sequence number
   * applied up to.
   */
  public record Apply(long from, long upTo, List<FeedEntry> entries, ActorRef<Long> replyTo)
      implements Command {}

  public record GetView(ActorRef<View> replyTo) implements Command {}

  /**
   * The most recent {@code rampart.user.orders-in-view} orders (oldest of them first), the number
   * of all orders, and the feed sequence number the history is at.
   */
  public record View(List<OrderSummary> recentOrders, int orderCount, long appliedUpTo)
      implements CborSerializable {}

  // --- events
  public sealed interface Event extends CborSerializable {}

  /** The feed applied up to {@code upTo}; {@code entries} are what changed the history. */
  public record FeedApplied(long upTo, List<FeedEntry> entries) implements Event {}

  // --- state
  public record State(long appliedUpTo, Map<String, OrderSummary> orders)
      implements CborSerializable {
    @JsonCreator
    public State {
      orders = orders == null ? Map.of() : orders;
    }

    View view(int maxOrders) {
      List<OrderSummary> all = List.copyOf(orders.values());
      return new View(
          List.copyOf(all.subList(Math.max(0, all.size() - maxOrders), all.size())),
          all.size(),
          appliedUpTo);
    }

    State apply(FeedApplied e) {
      Map<String, OrderSummary> next = new LinkedHashMap<>(orders);
      for (FeedEntry entry : e.entries()) {
        if (entry.feedSeqNr() <= appliedUpTo) {
          continue;
        }
        OrderSummary known = next.get(entry.orderId());
        if (entry.status() == null) {
          OrderSummary base =
              known == null ? new OrderSummary(entry.orderId(), "", 0, 0, "") : known;
          next.put(
              entry.orderId(),
              new OrderSummary(
                  base.orderId(),
                  base.status(),
                  base.totalCents(),
                  base.orderSequenceNr(),
                  entry.shipmentStatus()));
        } else if (known == null) {
          next.put(
              entry.orderId(),
              new OrderSummary(
                  entry.orderId(),
                  entry.status(),
                  entry.totalCents(),
                  entry.orderSequenceNr(),
                  ""));
        } else if (entry.orderSequenceNr() > known.orderSequenceNr()) {
          // Only a newer order event moves the status; the total is set once, by the placement.
          long total = entry.totalCents() > 0 ? entry.totalCents() : known.totalCents();
          next.put(
              entry.orderId(),
              new OrderSummary(
                  entry.orderId(),
                  entry.status(),
                  total,
                  entry.orderSequenceNr(),
                  known.shipmentStatus()));
        }
      }
      return new State(Math.max(appliedUpTo, e.upTo()), next);
    }
  }

  public static Behavior<Command> create(String userId) {
    return Behaviors.setup(
        ctx ->
            new OrderHistory(
                userId, ctx.getSystem().settings().config().getInt("rampart.user.orders-in-view")));
  }

  public static PersistenceId persistenceId(String userId) {
    return PersistenceId.of(TYPE_KEY.name(), userId);
  }

  private final int ordersInView;

  private OrderHistory(String userId, int ordersInView) {
    super(persistenceId(userId));
    this.ordersInView = ordersInView;
  }

  @Override
  public State emptyState() {
    return new State(0, Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            Apply.class,
            (state, cmd) ->
                cmd.upTo() <= state.appliedUpTo() || cmd.from() > state.appliedUpTo() + 1
                    ? Effect().reply(cmd.replyTo(), state.appliedUpTo())
                    : Effect()
                        .persist(new FeedApplied(cmd.upTo(), cmd.entries()))
                        .thenReply(cmd.replyTo(), after -> after.appliedUpTo()))
        .onCommand(
            GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.view(ordersInView)))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(FeedApplied.class, State::apply).build();
  }
}
