package dev.rampart.shipping;

import dev.rampart.proto.events.v1.ShipmentEvent;
import dev.rampart.proto.events.v1.ShipmentStatus;

/**
 * Pure mapping of a journaled shipment event to the {@code shipment-events} topic's {@link
 * ShipmentEvent}. The event id "{@code <shipmentId>:<seqNr>}" is stable across redeliveries, so
 * consumers can deduplicate. No address and no customer: Order needs neither.
 */
final class ShipmentEvents {

  static ShipmentEvent of(ShipmentEntity.Event event, long sequenceNr) {
    ShipmentEvent.Builder b = ShipmentEvent.newBuilder().setSequenceNr(sequenceNr);
    if (event instanceof ShipmentEntity.ShipmentCreated c) {
      b.setShipmentId(c.shipmentId())
          .setAtEpochMillis(c.atEpochMillis())
          .setStatus(ShipmentStatus.SHIPMENT_STATUS_CREATED);
    } else if (event instanceof ShipmentEntity.ShipmentBooked booked) {
      b.setShipmentId(booked.shipmentId())
          .setAtEpochMillis(booked.atEpochMillis())
          .setStatus(ShipmentStatus.SHIPMENT_STATUS_BOOKED)
          .setCarrier(booked.carrier())
          .setTrackingCode(booked.trackingCode());
    } else if (event instanceof ShipmentEntity.CarrierStatusChanged changed) {
      b.setShipmentId(changed.shipmentId())
          .setAtEpochMillis(changed.atEpochMillis())
          .setStatus(status(changed.status()))
          .setCarrierEventId(changed.carrierEventId())
          .setOccurredAtEpochMillis(changed.occurredAtEpochMillis());
    } else if (event instanceof ShipmentEntity.ShipmentCancelled cancelled) {
      b.setShipmentId(cancelled.shipmentId())
          .setAtEpochMillis(cancelled.atEpochMillis())
          .setStatus(ShipmentStatus.SHIPMENT_STATUS_CANCELLED);
    } else {
      throw new IllegalArgumentException("unknown shipment event " + event.getClass());
    }
    // shipment id = order id
    return b.setOrderId(b.getShipmentId()).setEventId(b.getShipmentId() + ":" + sequenceNr).build();
  }

  static ShipmentStatus status(ShipmentEntity.Status status) {
    return switch (status) {
      case CREATED -> ShipmentStatus.SHIPMENT_STATUS_CREATED;
      case BOOKED -> ShipmentStatus.SHIPMENT_STATUS_BOOKED;
      case IN_TRANSIT -> ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT;
      case OUT_FOR_DELIVERY -> ShipmentStatus.SHIPMENT_STATUS_OUT_FOR_DELIVERY;
      case DELIVERED -> ShipmentStatus.SHIPMENT_STATUS_DELIVERED;
      case EXCEPTION -> ShipmentStatus.SHIPMENT_STATUS_EXCEPTION;
      case CANCELLED -> ShipmentStatus.SHIPMENT_STATUS_CANCELLED;
    };
  }

  private ShipmentEvents() {}
}
