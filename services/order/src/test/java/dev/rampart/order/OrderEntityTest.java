package dev.rampart.order;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import com.typesafe.config.ConfigFactory;
import dev.rampart.order.OrderEntity.Command;
import dev.rampart.order.OrderEntity.Event;
import dev.rampart.order.OrderEntity.State;
import dev.rampart.order.OrderEntity.Status;
import dev.rampart.order.OrderEntity.Summary;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The entity on Akka's persistence testkit journal, with serialization of every command, reply,
 * event and state checked through the real Jackson CBOR binding.
 */
class OrderEntityTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(
                  ConfigFactory.parseString(
                      """
                      akka.actor.serialization-bindings { "dev.rampart.platform.CborSerializable" = jackson-cbor }
                      akka.actor.serialize-messages = on
                      """)));
  private static final List<OrderEntity.Line> LINES =
      List.of(new OrderEntity.Line("sku-1", 2, 150), new OrderEntity.Line("sku-2", 1, 1000));

  private EventSourcedBehaviorTestKit<Command, Event, State> order;

  @BeforeEach
  void fresh() {
    order =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            OrderEntity.create("o-1"),
            EventSourcedBehaviorTestKit.enabledSerializationSettings());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void placeConfirmsInTheSameEffectThenShipDeliver() {
    var placed = place("c-1", LINES);
    assertThat(placed.reply().getValue().status()).isEqualTo(Status.CONFIRMED);
    assertThat(placed.reply().getValue().totalCents()).isEqualTo(1300);
    assertThat(placed.events())
        .containsExactly(
            new OrderEntity.Placed("o-1", "c-1", LINES, 42L, null),
            new OrderEntity.Confirmed("o-1", "c-1", 3, 42L, null));
    assertThat(placed.events().get(0).itemCount()).isEqualTo(3);

    var shipped =
        order.<StatusReply<Summary>>runCommand(r -> new OrderEntity.MarkShipped("o-1", r));
    assertThat(shipped.reply().getValue().shipmentId()).isEqualTo("o-1");
    assertThat(shipped.state().status()).isEqualTo(Status.SHIPPED);

    var delivered = order.<StatusReply<Summary>>runCommand(OrderEntity.MarkDelivered::new);
    assertThat(delivered.state().status()).isEqualTo(Status.DELIVERED);

    // survives a restart: the state is rebuilt from the events
    order.restart();
    var got = order.<StatusReply<Summary>>runCommand(OrderEntity.Get::new);
    assertThat(got.reply().getValue().status()).isEqualTo(Status.DELIVERED);
    assertThat(got.reply().getValue().lines()).isEqualTo(LINES);
  }

  @Test
  void placeIsIdempotentForSameContentAndRefusesOtherContent() {
    var first = place("c-1", LINES);
    var again =
        order.<StatusReply<Summary>>runCommand(
            r -> new OrderEntity.Place("c-1", LINES, 99L, null, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue()).isEqualTo(first.reply().getValue());

    var other = place("c-2", LINES);
    assertThat(other.hasNoEvents()).isTrue();
    assertThat(other.reply().getError().getMessage()).isEqualTo(OrderEntity.ALREADY_EXISTS);
  }

  @Test
  void commandsOnAnUnplacedOrderAreNotFound() {
    var get = order.<StatusReply<Summary>>runCommand(OrderEntity.Get::new);
    assertThat(get.reply().getError().getMessage()).isEqualTo(OrderEntity.NOT_FOUND);
    var confirm = order.<StatusReply<Summary>>runCommand(OrderEntity.Confirm::new);
    assertThat(confirm.hasNoEvents()).isTrue();
    assertThat(confirm.reply().getError().getMessage()).isEqualTo(OrderEntity.NOT_FOUND);
    var cancel = order.<StatusReply<Summary>>runCommand(r -> new OrderEntity.Cancel("x", r));
    assertThat(cancel.reply().getError().getMessage()).isEqualTo(OrderEntity.NOT_FOUND);
  }

  @Test
  void anOrderLeftPlacedByTheTwoStepVersionIsConfirmedByARetry() {
    order.initialize(new OrderEntity.Placed("o-1", "c-1", LINES, 42L, null));
    assertThat(order.getState().status()).isEqualTo(Status.PLACED);
    assertThat(place("c-2", LINES).reply().getError().getMessage())
        .isEqualTo(OrderEntity.ALREADY_EXISTS);

    var retried = place("c-1", LINES);
    assertThat(retried.event()).isInstanceOf(OrderEntity.Confirmed.class);
    assertThat(retried.reply().getValue().status()).isEqualTo(Status.CONFIRMED);
    assertThat(retried.reply().getValue().placedAtEpochMillis()).isEqualTo(42L);
  }

  @Test
  void confirmFromANodeOfTheTwoStepVersionIsAHarmlessRepeat() {
    place("c-1", LINES);
    var confirm = order.<StatusReply<Summary>>runCommand(OrderEntity.Confirm::new);
    assertThat(confirm.hasNoEvents()).isTrue();
    assertThat(confirm.reply().getValue().status()).isEqualTo(Status.CONFIRMED);
  }

  @Test
  void invalidTransitionsAreAnsweredWithErrorsAndPersistNothing() {
    order.initialize(new OrderEntity.Placed("o-1", "c-1", LINES, 42L, null));
    // not confirmed yet (an order of the two-step version): cannot ship or deliver
    assertInvalid(
        order.runCommand(r -> new OrderEntity.MarkShipped("o-1", r)),
        Status.PLACED,
        Status.SHIPPED);
    assertInvalid(
        order.runCommand(OrderEntity.MarkDelivered::new), Status.PLACED, Status.DELIVERED);

    order.<StatusReply<Summary>>runCommand(OrderEntity.Confirm::new);
    order.<StatusReply<Summary>>runCommand(r -> new OrderEntity.MarkShipped("o-1", r));
    // shipped: too late to cancel, reject or confirm
    assertInvalid(
        order.runCommand(r -> new OrderEntity.Cancel("changed my mind", r)),
        Status.SHIPPED,
        Status.CANCELLED);
    assertInvalid(
        order.runCommand(r -> new OrderEntity.Reject("no", r)), Status.SHIPPED, Status.REJECTED);
    assertInvalid(order.runCommand(OrderEntity.Confirm::new), Status.SHIPPED, Status.CONFIRMED);
    // the same shipment again is a harmless repeat; another shipment id is not
    assertThat(
            order
                .<StatusReply<Summary>>runCommand(r -> new OrderEntity.MarkShipped("o-1", r))
                .hasNoEvents())
        .isTrue();
    assertInvalid(
        order.runCommand(r -> new OrderEntity.MarkShipped("other", r)),
        Status.SHIPPED,
        Status.SHIPPED);
    assertThat(order.getState().status()).isEqualTo(Status.SHIPPED);
  }

  @Test
  void cancelledOrderStaysCancelled() {
    place("c-1", LINES);
    var cancelled =
        order.<StatusReply<Summary>>runCommand(r -> new OrderEntity.Cancel("changed my mind", r));
    assertThat(cancelled.reply().getValue().statusReason()).isEqualTo("changed my mind");
    assertThat(cancelled.event())
        .isEqualTo(
            new OrderEntity.Cancelled(
                "o-1",
                "c-1",
                3,
                "changed my mind",
                ((OrderEntity.Cancelled) cancelled.event()).atEpochMillis()));
    assertInvalid(order.runCommand(OrderEntity.Confirm::new), Status.CANCELLED, Status.CONFIRMED);
    assertInvalid(
        order.runCommand(r -> new OrderEntity.MarkShipped("o-1", r)),
        Status.CANCELLED,
        Status.SHIPPED);
    // cancelling twice is idempotent
    assertThat(
            order
                .<StatusReply<Summary>>runCommand(r -> new OrderEntity.Cancel("again", r))
                .hasNoEvents())
        .isTrue();
  }

  @Test
  void placeWithoutLinesIsRefused() {
    var result = place("c-1", List.of());
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply().isError()).isTrue();
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<Summary>> place(
      String customer, List<OrderEntity.Line> lines) {
    return order.runCommand(r -> new OrderEntity.Place(customer, lines, 42L, null, r));
  }

  private static void assertInvalid(
      CommandResultWithReply<Command, Event, State, StatusReply<Summary>> result,
      Status from,
      Status to) {
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply().getError().getMessage())
        .isEqualTo(OrderEntity.invalidTransition(from, to));
  }
}
