package dev.rampart.order;

import dev.rampart.proto.events.v1.OrderCancelled;
import dev.rampart.proto.events.v1.OrderConfirmed;
import dev.rampart.proto.events.v1.OrderDelivered;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.events.v1.OrderPlaced;
import dev.rampart.proto.events.v1.OrderRejected;
import dev.rampart.proto.events.v1.OrderShipped;

/**
 * Pure mapping of a journaled order event to the internal topic's {@link OrderEvent} (with the
 * customer id; the public feed is {@link OrderFeedEvents}). The event id "{@code
 * <orderId>:<seqNr>}" is stable across redeliveries, so consumers can deduplicate.
 */
final class OrderEventMessages {

  static String eventId(String orderId, long sequenceNr) {
    return orderId + ":" + sequenceNr;
  }

  static OrderEvent internal(OrderEntity.Event event, long sequenceNr) {
    OrderEvent.Builder b =
        OrderEvent.newBuilder()
            .setEventId(eventId(event.orderId(), sequenceNr))
            .setOrderId(event.orderId())
            .setSequenceNr(sequenceNr)
            .setAtEpochMillis(event.atEpochMillis())
            .setCustomerId(event.customerId());
    if (event instanceof OrderEntity.Placed p) {
      b.setPlaced(
          OrderPlaced.newBuilder()
              .addAllLines(OrderRequests.protoLines(p.lines()))
              .setTotalCents(p.lines().stream().mapToLong(OrderEntity.Line::totalCents).sum()));
    } else if (event instanceof OrderEntity.Confirmed) {
      b.setConfirmed(OrderConfirmed.getDefaultInstance());
    } else if (event instanceof OrderEntity.Rejected r) {
      b.setRejected(OrderRejected.newBuilder().setReason(r.reason()));
    } else if (event instanceof OrderEntity.Cancelled c) {
      b.setCancelled(OrderCancelled.newBuilder().setReason(c.reason()));
    } else if (event instanceof OrderEntity.Shipped s) {
      b.setShipped(OrderShipped.newBuilder().setShipmentId(s.shipmentId()));
    } else if (event instanceof OrderEntity.Delivered) {
      b.setDelivered(OrderDelivered.getDefaultInstance());
    } else {
      throw new IllegalArgumentException("unknown order event " + event.getClass());
    }
    return b.build();
  }

  static OrderEntity.Status status(OrderEntity.Event event) {
    if (event instanceof OrderEntity.Placed) return OrderEntity.Status.PLACED;
    if (event instanceof OrderEntity.Confirmed) return OrderEntity.Status.CONFIRMED;
    if (event instanceof OrderEntity.Rejected) return OrderEntity.Status.REJECTED;
    if (event instanceof OrderEntity.Cancelled) return OrderEntity.Status.CANCELLED;
    if (event instanceof OrderEntity.Shipped) return OrderEntity.Status.SHIPPED;
    if (event instanceof OrderEntity.Delivered) return OrderEntity.Status.DELIVERED;
    throw new IllegalArgumentException("unknown order event " + event.getClass());
  }

  private OrderEventMessages() {}
}
