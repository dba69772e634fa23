package dev.rampart.user;

import akka.Done;
import dev.rampart.platform.CborSerializable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * How far the User side has durably applied Shipping's shipment notices (an offset in Shipping's outbox).
 * The exchange stream's Hello asks Shipping to resume after it, so a cut loses nothing; notices applied but
 * not yet recorded here are sent again and the user entities ignore them. One instance per cluster (sharded
 * under the fixed id {@link #ID}), whichever node serves the stream.
 */
public final class ShipmentNoticeInbox
    extends EventSourcedBehaviorWithEnforcedReplies<ShipmentNoticeInbox.Command, ShipmentNoticeInbox.Event, ShipmentNoticeInbox.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ShipmentNoticeInbox");
  public static final String ID = "shipping";

  public sealed interface Command extends CborSerializable {}

  /** Notices up to and including {@code offset} are applied. */
  public record Applied(long offset, ActorRef<Done> replyTo) implements Command {}

  public record GetAppliedUpTo(ActorRef<Long> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record AppliedUpTo(long offset) implements Event {}

  /** {@code appliedUpTo} is 0 before the first notice (Shipping's offsets start at 1). */
  public record State(long appliedUpTo) implements CborSerializable {}

  public static Behavior<Command> create(String id) {
    return new ShipmentNoticeInbox(id);
  }

  private ShipmentNoticeInbox(String id) {
    super(PersistenceId.of(TYPE_KEY.name(), id));
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Applied.class, (state, cmd) -> cmd.offset() <= state.appliedUpTo()
            ? Effect().reply(cmd.replyTo(), Done.getInstance())
            : Effect().persist(new AppliedUpTo(cmd.offset())).thenReply(cmd.replyTo(), s -> Done.getInstance()))
        .onCommand(GetAppliedUpTo.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.appliedUpTo()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(AppliedUpTo.class, (state, e) -> new State(e.offset()))
        .build();
  }
}
