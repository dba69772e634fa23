package dev.rampart.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.RecordCarrierEventRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The carrier webhook's JSON: {@code {eventId, status, occurredAt}} (and an {@code Idempotency-Key}
 * header, the same id) to RecordCarrierEvent, and the outcome back. The answer names the shipment's
 * status and the carrier's data only: a partner sees no customer, order or address.
 */
final class CarrierJson {
  static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final Map<String, CarrierStatus> STATUSES =
      Map.of(
          "IN_TRANSIT", CarrierStatus.CARRIER_STATUS_IN_TRANSIT,
          "OUT_FOR_DELIVERY", CarrierStatus.CARRIER_STATUS_OUT_FOR_DELIVERY,
          "DELIVERED", CarrierStatus.CARRIER_STATUS_DELIVERED,
          "EXCEPTION", CarrierStatus.CARRIER_STATUS_EXCEPTION);
  private static final ObjectMapper JSON = new ObjectMapper();

  private CarrierJson() {}

  /**
   * The event id is the {@code Idempotency-Key}, or {@code eventId} without one; both present must
   * agree. Other members a carrier sends (location, notes) are ignored, not refused: a partner's
   * payload grows without asking us.
   */
  static RecordCarrierEventRequest request(
      String shipmentId, ObjectNode body, Optional<String> idempotencyKey) {
    FieldChecks c = new FieldChecks();
    String bodyId =
        c.matching(body, "", "eventId", EVENT_ID, "1..128 characters [A-Za-z0-9._:-]", false);
    String eventId = bodyId;
    if (idempotencyKey.isPresent()) {
      String key = idempotencyKey.get().trim();
      if (!EVENT_ID.matcher(key).matches())
        c.error("Idempotency-Key", "must be 1..128 characters [A-Za-z0-9._:-]");
      else if (!bodyId.isEmpty() && !bodyId.equals(key))
        c.error("/eventId", "must equal the Idempotency-Key header");
      eventId = key;
    } else if (bodyId.isEmpty()) {
      c.error("/eventId", "is required (or an Idempotency-Key header)");
    }
    String status = c.string(body, "", "status", 1, 32, true);
    if (!status.isEmpty() && !STATUSES.containsKey(status))
      c.error("/status", "must be one of " + String.join(", ", Set.copyOf(STATUSES.keySet())));
    String occurred = c.string(body, "", "occurredAt", 1, 64, true);
    Instant at = Instant.EPOCH;
    if (!occurred.isEmpty()) {
      try {
        at = OffsetDateTime.parse(occurred).toInstant();
      } catch (DateTimeParseException e) {
        c.error("/occurredAt", "must be an RFC 3339 date-time");
      }
    }
    c.throwIfAny();
    return RecordCarrierEventRequest.newBuilder()
        .setShipmentId(shipmentId)
        .setCarrierEventId(eventId)
        .setStatus(STATUSES.get(status))
        .setOccurredAt(
            Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .build();
  }

  /**
   * {@code APPLIED}, {@code DUPLICATE} or {@code STALE}, and the shipment as the carrier sees it.
   */
  static ObjectNode response(RecordCarrierEventResponse r) {
    ObjectNode out = JSON.createObjectNode();
    out.put("outcome", r.getOutcome().name().replace("OUTCOME_", ""));
    ObjectNode shipment = out.putObject("shipment");
    shipment.put("id", r.getShipment().getShipmentId());
    shipment.put("status", r.getShipment().getStatus());
    shipment.put("carrier", r.getShipment().getCarrier());
    shipment.put("trackingCode", r.getShipment().getTrackingCode());
    return out;
  }

  /** 202 when the event moved the shipment, 200 when it changed nothing (duplicate, stale). */
  static int httpStatus(RecordCarrierEventResponse r) {
    return r.getOutcome() == RecordCarrierEventResponse.Outcome.OUTCOME_APPLIED ? 202 : 200;
  }
}
