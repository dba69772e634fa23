package dev.rampart.platform;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;

/**
 * How far a consumer has durably applied a stream of offset-numbered messages from another service
 * (offsets start at 1). A resumable stream asks the sender to continue after it, so a cut or a
 * restart loses nothing; messages applied but not yet recorded here come again, and their handler
 * must be idempotent. Sharded under a type key of the consumer's own naming ({@link
 * #typeKey(String)}), one entity per stream.
 */
public final class AppliedOffset
    extends EventSourcedBehaviorWithEnforcedReplies<
        AppliedOffset.Command, AppliedOffset.Event, AppliedOffset.State> {

  public sealed interface Command extends CborSerializable {}

  /** Messages up to and including {@code offset} are applied. */
  public record Applied(long offset, ActorRef<Done> replyTo) implements Command {}

  public record GetAppliedUpTo(ActorRef<Long> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record AppliedUpTo(long offset) implements Event {}

  /** {@code appliedUpTo} is 0 before the first message. */
  public record State(long appliedUpTo) implements CborSerializable {}

  /** The sharding key of one kind of inbox; its name is also the persistence id prefix. */
  public static EntityTypeKey<Command> typeKey(String name) {
    return EntityTypeKey.create(Command.class, name);
  }

  public static Behavior<Command> create(EntityTypeKey<Command> typeKey, String id) {
    return new AppliedOffset(typeKey, id);
  }

  private AppliedOffset(EntityTypeKey<Command> typeKey, String id) {
    super(PersistenceId.of(typeKey.name(), id));
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
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            Applied.class,
            (state, cmd) ->
                cmd.offset() <= state.appliedUpTo()
                    ? Effect().reply(cmd.replyTo(), Done.getInstance())
                    : Effect()
                        .persist(new AppliedUpTo(cmd.offset()))
                        .thenReply(cmd.replyTo(), s -> Done.getInstance()))
        .onCommand(
            GetAppliedUpTo.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), state.appliedUpTo()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(AppliedUpTo.class, (state, e) -> new State(e.offset()))
        .build();
  }
}
