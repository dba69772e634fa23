package dev.rampart.shipping;

import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.user.v1.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The gRPC side of the Shipping API: what a valid request is, and the mapping to and from the
 * entity's types.
 */
public final class ShippingProtocol {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern CARRIER_EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public static List<String> idProblems(String field, String value) {
    return ID.matcher(value).matches()
        ? List.of()
        : List.of(field + " must be 1..64 characters of [A-Za-z0-9_-]");
  }

  public static List<String> createProblems(CreateShipmentRequest request) {
    List<String> problems = new ArrayList<>(idProblems("order_id", request.getOrderId()));
    problems.addAll(idProblems("customer_id", request.getCustomerId()));
    if (request.hasAddress()) {
      problems.addAll(addressProblems(request.getAddress()));
    }
    return problems;
  }

  public static List<String> carrierEventProblems(RecordCarrierEventRequest request) {
    List<String> problems = new ArrayList<>(idProblems("shipment_id", request.getShipmentId()));
    if (!CARRIER_EVENT_ID.matcher(request.getCarrierEventId()).matches()) {
      problems.add("carrier_event_id must be 1..128 characters of [A-Za-z0-9._:-]");
    }
    if (fromProto(request.getStatus()) == null) {
      problems.add(
          "status must be one of IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION"
              + " (CARRIER_STATUS_...)");
    }
    if (!request.hasOccurredAt() || request.getOccurredAt().getSeconds() <= 0) {
      problems.add("occurred_at is required");
    }
    return problems;
  }

  /** The entity's status of a carrier's report; null for none that a carrier reports. */
  public static ShipmentEntity.Status fromProto(CarrierStatus status) {
    return switch (status) {
      case CARRIER_STATUS_IN_TRANSIT -> ShipmentEntity.Status.IN_TRANSIT;
      case CARRIER_STATUS_OUT_FOR_DELIVERY -> ShipmentEntity.Status.OUT_FOR_DELIVERY;
      case CARRIER_STATUS_DELIVERED -> ShipmentEntity.Status.DELIVERED;
      case CARRIER_STATUS_EXCEPTION -> ShipmentEntity.Status.EXCEPTION;
      case CARRIER_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  static List<String> addressProblems(Address a) {
    List<String> problems = new ArrayList<>();
    if (a.getStreet().isBlank() || a.getStreet().length() > 200) {
      problems.add("address.street must be 1..200 characters");
    }
    if (a.getCity().isBlank() || a.getCity().length() > 100) {
      problems.add("address.city must be 1..100 characters");
    }
    if (a.getPostalCode().isBlank() || a.getPostalCode().length() > 20) {
      problems.add("address.postal_code must be 1..20 characters");
    }
    if (!COUNTRY.matcher(a.getCountry()).matches()) {
      problems.add("address.country must be an ISO 3166-1 alpha-2 code such as DE");
    }
    return problems;
  }

  public static ShipmentEntity.Address fromProto(Address a) {
    return new ShipmentEntity.Address(
        a.getStreet(), a.getCity(), a.getPostalCode(), a.getCountry());
  }

  public static Address toProto(ShipmentEntity.Address a) {
    return Address.newBuilder()
        .setStreet(a.street())
        .setCity(a.city())
        .setPostalCode(a.postalCode())
        .setCountry(a.country())
        .build();
  }

  public static Shipment toProto(ShipmentEntity.State s) {
    Shipment.Builder shipment =
        Shipment.newBuilder()
            .setShipmentId(s.shipmentId())
            .setOrderId(s.orderId())
            .setCustomerId(s.customerId())
            .setStatus(s.status().name())
            .setCarrier(s.carrier())
            .setTrackingCode(s.trackingCode());
    if (s.address() != null) {
      shipment.setAddress(toProto(s.address()));
    }
    return shipment.build();
  }

  public static RecordCarrierEventResponse toProto(ShipmentEntity.CarrierEventRecorded recorded) {
    return RecordCarrierEventResponse.newBuilder()
        .setOutcome(
            switch (recorded.outcome()) {
              case APPLIED -> RecordCarrierEventResponse.Outcome.OUTCOME_APPLIED;
              case DUPLICATE -> RecordCarrierEventResponse.Outcome.OUTCOME_DUPLICATE;
              case STALE -> RecordCarrierEventResponse.Outcome.OUTCOME_STALE;
            })
        .setShipment(toProto(recorded.shipment()))
        .build();
  }

  private ShippingProtocol() {}
}
