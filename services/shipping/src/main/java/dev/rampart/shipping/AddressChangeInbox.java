package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import dev.rampart.platform.CborSerializable;

/**
 * How far Shipping has durably applied User's address changes (an offset in User's outbox). The exchange
 * stream's Hello asks User to resume after it, so a cut or a restart loses nothing; changes applied but not
 * yet recorded here come again and {@link CustomerAddressEntity} ignores them. One per cluster (sharded under
 * the fixed id {@link #ID}).
 */
public final class AddressChangeInbox extends EventSourcedBehaviorWithEnforcedReplies<
    AddressChangeInbox.Command, AddressChangeInbox.Event, AddressChangeInbox.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AddressChangeInbox");
  public static final String ID = "user";

  public sealed interface Command extends CborSerializable {}

  public record Applied(long offset, ActorRef<Done> replyTo) implements Command {}

  public record GetAppliedUpTo(ActorRef<Long> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record AppliedUpTo(long offset) implements Event {}

  /** 0 before the first change (User's offsets start at 1). */
  public record State(long appliedUpTo) implements CborSerializable {}

  public static Behavior<Command> create(String id) {
    return new AddressChangeInbox(id);
  }

  private AddressChangeInbox(String id) {
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
