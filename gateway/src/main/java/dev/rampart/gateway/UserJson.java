package dev.rampart.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The users resource's JSON: validated requests to UserService messages, and its replies back to
 * JSON.
 */
final class UserJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  private UserJson() {}

  /**
   * POST /api/users body; the user id is the caller's ({@code id} may repeat it, and must then
   * match).
   */
  static RegisterRequest registerRequest(ObjectNode body, String callerId) {
    FieldChecks c = new FieldChecks();
    c.onlyKnown(body, "", Set.of("id", "name", "email", "address"));
    String id = c.matching(body, "", "id", FieldChecks.ID, "1..64 characters [A-Za-z0-9_-]", false);
    String name = c.string(body, "", "name", 1, 200, true);
    String email = c.matching(body, "", "email", EMAIL, "an e-mail address", true);
    if (email.length() > 254) c.error("/email", "length must be 1..254");
    Address address = address(c, body, "");
    c.throwIfAny();
    if (!id.isEmpty() && !id.equals(callerId))
      throw Problem.forbidden("a user may only register themselves (token subject differs from id)")
          .asException();
    return RegisterRequest.newBuilder()
        .setUserId(callerId)
        .setName(name)
        .setEmail(email)
        .setAddress(address)
        .build();
  }

  /** PUT /api/users/{id}/address body: an address object. */
  static ChangeAddressRequest changeAddressRequest(ObjectNode body, String userId) {
    FieldChecks c = new FieldChecks();
    Address address = addressFields(c, body, "");
    c.throwIfAny();
    return ChangeAddressRequest.newBuilder().setUserId(userId).setAddress(address).build();
  }

  private static Address address(FieldChecks c, ObjectNode body, String base) {
    ObjectNode a = c.object(body, base, "address");
    return a == null ? Address.getDefaultInstance() : addressFields(c, a, base + "/address");
  }

  private static Address addressFields(FieldChecks c, ObjectNode a, String base) {
    c.onlyKnown(a, base, Set.of("street", "city", "postalCode", "country"));
    return Address.newBuilder()
        .setStreet(c.string(a, base, "street", 1, 200, true))
        .setCity(c.string(a, base, "city", 1, 100, true))
        .setPostalCode(c.string(a, base, "postalCode", 1, 20, true))
        .setCountry(
            c.matching(a, base, "country", COUNTRY, "an ISO 3166-1 alpha-2 code (e.g. DE)", true))
        .build();
  }

  static ObjectNode user(User u) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", u.getUserId());
    o.put("name", u.getName());
    o.put("email", u.getEmail());
    o.set("address", address(u.getAddress()));
    var orders = o.putArray("orders");
    for (OrderSummary s : u.getOrdersList()) {
      ObjectNode so = orders.addObject();
      so.put("orderId", s.getOrderId());
      so.put("status", s.getStatus());
      so.put("totalCents", s.getTotalCents());
      if (!s.getShipmentStatus().isEmpty()) so.put("shipmentStatus", s.getShipmentStatus());
    }
    // orders holds only the most recent ones (User's orders-in-view); this is the whole history's
    // size.
    o.put("orderCount", u.getOrderCount());
    o.put("online", u.getOnline());
    return o;
  }

  static ObjectNode address(Address a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("street", a.getStreet());
    o.put("city", a.getCity());
    o.put("postalCode", a.getPostalCode());
    o.put("country", a.getCountry());
    return o;
  }

  /** Event name of a notification (SSE {@code event:} field and JSON {@code kind}). */
  static String kind(Notification n) {
    return switch (n.getKindCase()) {
      case ORDER_RECORDED -> "orderRecorded";
      case SHIPMENT_NOTICE -> "shipmentNotice";
      case ADDRESS_CHANGED -> "addressChanged";
      case KIND_NOT_SET -> "unknown";
    };
  }

  static ObjectNode notification(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", n.getNotificationId());
    o.put("userId", n.getUserId());
    o.put("atEpochMillis", n.getAtEpochMillis());
    String kind = kind(n);
    o.put("kind", kind);
    switch (n.getKindCase()) {
      case ORDER_RECORDED ->
          o.putObject(kind)
              .put("orderId", n.getOrderRecorded().getOrderId())
              .put("status", n.getOrderRecorded().getStatus());
      case SHIPMENT_NOTICE ->
          o.putObject(kind)
              .put("shipmentId", n.getShipmentNotice().getShipmentId())
              .put("orderId", n.getShipmentNotice().getOrderId())
              .put("status", n.getShipmentNotice().getStatus())
              .put("carrier", n.getShipmentNotice().getCarrier())
              .put("trackingCode", n.getShipmentNotice().getTrackingCode());
      case ADDRESS_CHANGED -> o.set(kind, address(n.getAddressChanged().getAddress()));
      case KIND_NOT_SET -> {}
    }
    return o;
  }
}
