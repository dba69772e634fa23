package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import dev.rampart.user.OrderHistory.Command;
import dev.rampart.user.OrderHistory.Event;
import dev.rampart.user.OrderHistory.FeedEntry;
import dev.rampart.user.OrderHistory.OrderSummary;
import dev.rampart.user.OrderHistory.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's order history alone (persistence testkit journal, everything serialized): batches of the
 * feed applied once, in the feed's order, a gap refused, a stale order event never moving a status
 * back, the view bounded.
 */
class OrderHistoryTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "akka.actor.serialization-bindings { \"dev.rampart.platform.CborSerializable\" ="
                      + " jackson-cbor }")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private EventSourcedBehaviorTestKit<Command, Event, State> history;

  @BeforeEach
  void fresh() {
    history = EventSourcedBehaviorTestKit.create(testKit.system(), OrderHistory.create("alice"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static FeedEntry order(long feedSeq, String orderId, long orderSeq, String status, long total) {
    return new FeedEntry(feedSeq, orderId, orderSeq, status, total, null);
  }

  static FeedEntry notice(long feedSeq, String orderId, String shipmentStatus) {
    return new FeedEntry(feedSeq, orderId, 0, null, 0, shipmentStatus);
  }

  private long apply(long from, long upTo, FeedEntry... entries) {
    return history
        .<Long>runCommand(r -> new OrderHistory.Apply(from, upTo, List.of(entries), r))
        .reply();
  }

  private OrderHistory.View view() {
    return history.<OrderHistory.View>runCommand(OrderHistory.GetView::new).reply();
  }

  @Test
  void appliesTheFeedOnceInItsOrder() {
    // feed: 1 registered, 2 o1 placed, 3 address changed, 4 o1 confirmed, 5 o1 booked
    assertThat(apply(1, 3, order(2, "o1", 1, "PLACED", 1250))).isEqualTo(3);
    assertThat(apply(4, 5, order(4, "o1", 2, "CONFIRMED", 0), notice(5, "o1", "BOOKED")))
        .isEqualTo(5);
    assertThat(view().recentOrders())
        .containsExactly(new OrderSummary("o1", "CONFIRMED", 1250, 2, "BOOKED"));

    // the same batch again, and one overlapping what is applied: nothing persisted
    State before = history.getState();
    var again =
        history.<Long>runCommand(
            r -> new OrderHistory.Apply(4, 5, List.of(order(4, "o1", 2, "CONFIRMED", 0)), r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).isEqualTo(5);
    assertThat(
            apply(
                2,
                6,
                order(2, "o1", 1, "PLACED", 1250),
                order(4, "o1", 2, "CONFIRMED", 0),
                order(6, "o2", 1, "PLACED", 300)))
        .isEqualTo(6);
    assertThat(history.getState().orders().get("o1")).isEqualTo(before.orders().get("o1"));
    assertThat(view().orderCount()).isEqualTo(2);
  }

  @Test
  void aGapIsRefusedAndNothingIsApplied() {
    apply(1, 2, order(2, "o1", 1, "PLACED", 100));
    var gap =
        history.<Long>runCommand(
            r -> new OrderHistory.Apply(5, 6, List.of(order(6, "o2", 1, "PLACED", 1)), r));
    assertThat(gap.hasNoEvents()).isTrue();
    assertThat(gap.reply()).isEqualTo(2);
  }

  @Test
  void aStaleOrderEventDoesNotMoveTheStatusBack() {
    apply(1, 2, order(1, "o1", 2, "CONFIRMED", 0), order(2, "o1", 1, "PLACED", 900));
    assertThat(history.getState().orders().get("o1").status()).isEqualTo("CONFIRMED");
  }

  @Test
  void theViewIsTheNewestOrdersAndTheCountAndStaysSmall() {
    int orders = 3000;
    for (int from = 1; from <= orders; from += 500) {
      List<FeedEntry> batch = new ArrayList<>();
      for (int n = from; n < from + 500; n++) {
        batch.add(order(n, String.format("order-%05d", n), 1, "PLACED", 100));
      }
      long first = from;
      history.<Long>runCommand(r -> new OrderHistory.Apply(first, first + 499, batch, r));
    }
    OrderHistory.View view = view();
    assertThat(view.orderCount()).isEqualTo(orders);
    assertThat(view.appliedUpTo()).isEqualTo(orders);
    assertThat(view.recentOrders()).hasSize(100);
    assertThat(view.recentOrders().get(0).orderId()).isEqualTo("order-02901");
    assertThat(view.recentOrders().get(99).orderId()).isEqualTo("order-03000");
    assertThat(
            akka.serialization.SerializationExtension.get(
                    akka.actor.typed.javadsl.Adapter.toClassic(testKit.system()))
                .serialize(view)
                .get()
                .length)
        .isLessThan(32 * 1024);
  }

  @Test
  void survivesARestart() {
    apply(1, 3, order(2, "o1", 1, "PLACED", 1250), notice(3, "o1", "BOOKED"));
    State before = history.getState();
    history.restart();
    assertThat(history.getState()).isEqualTo(before);
  }
}
