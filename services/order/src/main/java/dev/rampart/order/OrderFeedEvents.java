package dev.rampart.order;

import com.google.protobuf.Timestamp;
import dev.rampart.proto.publicfeed.v1.Delivery;
import dev.rampart.proto.publicfeed.v1.DeliveryMilestone;
import dev.rampart.proto.publicfeed.v1.OrderFeedEvent;
import dev.rampart.proto.publicfeed.v1.OrderStatus;

/**
 * Pure mapping of a journaled order event to the public feed's {@link OrderFeedEvent}
 * (rampart.public.v1, for third parties): the status change, item count, time and delivery
 * milestone; never the customer, the lines, prices or a reason's free text.
 */
final class OrderFeedEvents {

  static OrderFeedEvent of(OrderEntity.Event event, long sequenceNr) {
    OrderFeedEvent.Builder b =
        OrderFeedEvent.newBuilder()
            .setEventId(OrderEventMessages.eventId(event.orderId(), sequenceNr))
            .setOrderId(event.orderId())
            .setSequence(sequenceNr)
            .setOccurredAt(timestamp(event.atEpochMillis()))
            .setStatus(status(event))
            .setItemCount(event.itemCount());
    if (event instanceof OrderEntity.Shipped s) {
      b.setDelivery(
          Delivery.newBuilder()
              .setMilestone(DeliveryMilestone.DELIVERY_MILESTONE_SHIPPED)
              .setShipmentId(s.shipmentId()));
    } else if (event instanceof OrderEntity.Delivered) {
      b.setDelivery(
          Delivery.newBuilder().setMilestone(DeliveryMilestone.DELIVERY_MILESTONE_DELIVERED));
    }
    return b.build();
  }

  static OrderStatus status(OrderEntity.Event event) {
    return switch (OrderEventMessages.status(event)) {
      case PLACED -> OrderStatus.ORDER_STATUS_PLACED;
      case CONFIRMED -> OrderStatus.ORDER_STATUS_CONFIRMED;
      case REJECTED -> OrderStatus.ORDER_STATUS_REJECTED;
      case CANCELLED -> OrderStatus.ORDER_STATUS_CANCELLED;
      case SHIPPED -> OrderStatus.ORDER_STATUS_SHIPPED;
      case DELIVERED -> OrderStatus.ORDER_STATUS_DELIVERED;
    };
  }

  static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000)
        .build();
  }

  private OrderFeedEvents() {}
}
