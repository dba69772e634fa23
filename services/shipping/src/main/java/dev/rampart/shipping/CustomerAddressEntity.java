package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import dev.rampart.platform.CborSerializable;
import java.util.Optional;

/**
 * Shipping's copy of one customer's latest address, fed by User's address changes over the exchange
 * stream. A change carries its offset in User's outbox; an offset at or below the last applied one
 * is a redelivery and changes nothing. CreateShipment uses this address when the request has none.
 */
public final class CustomerAddressEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        CustomerAddressEntity.Command, CustomerAddressEntity.Event, CustomerAddressEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "CustomerAddress");

  public sealed interface Command extends CborSerializable {}

  public record ApplyChange(long offset, ShipmentEntity.Address address, ActorRef<Done> replyTo)
      implements Command {}

  public record Get(ActorRef<Known> replyTo) implements Command {}

  /** The address, empty when User never sent one. */
  public record Known(Optional<ShipmentEntity.Address> address) implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  public record AddressReceived(long offset, ShipmentEntity.Address address) implements Event {}

  public record State(long offset, ShipmentEntity.Address address) implements CborSerializable {}

  public static Behavior<Command> create(String customerId) {
    return new CustomerAddressEntity(customerId);
  }

  private CustomerAddressEntity(String customerId) {
    super(PersistenceId.of(TYPE_KEY.name(), customerId));
  }

  @Override
  public State emptyState() {
    return new State(0, null);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            ApplyChange.class,
            (state, cmd) ->
                cmd.offset() <= state.offset()
                    ? Effect().reply(cmd.replyTo(), Done.getInstance())
                    : Effect()
                        .persist(new AddressReceived(cmd.offset(), cmd.address()))
                        .thenReply(cmd.replyTo(), s -> Done.getInstance()))
        .onCommand(
            Get.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), new Known(Optional.ofNullable(state.address()))))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(AddressReceived.class, (state, e) -> new State(e.offset(), e.address()))
        .build();
  }
}
