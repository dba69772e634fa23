package dev.rampart.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderLine;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import java.util.Set;

/**
 * The orders resource's JSON: validated requests to OrderService messages, and orders back to JSON.
 */
final class OrderJson {
  static final int MAX_LINES = 100;
  static final int MAX_QUANTITY = 1000;
  static final long MAX_UNIT_PRICE_CENTS = 1_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATUS_PREFIX = "ORDER_STATUS_";

  private OrderJson() {}

  /**
   * POST /api/orders body; the customer is the caller ({@code customerId} may repeat it, and must
   * then match). The order's id is {@link OrderIds#scoped} from the caller and {@code orderId}.
   */
  static PlaceOrderRequest placeOrderRequest(ObjectNode body, String callerId) {
    FieldChecks c = new FieldChecks();
    c.onlyKnown(body, "", Set.of("orderId", "customerId", "lines"));
    String orderId =
        c.matching(body, "", "orderId", FieldChecks.ID, "1..64 characters [A-Za-z0-9_-]", true);
    String customerId =
        c.matching(body, "", "customerId", FieldChecks.ID, "1..64 characters [A-Za-z0-9_-]", false);
    PlaceOrderRequest.Builder req =
        PlaceOrderRequest.newBuilder()
            .setOrderId(OrderIds.scoped(callerId, orderId))
            .setCustomerId(callerId);
    JsonNode lines = body.get("lines");
    if (!(lines instanceof ArrayNode arr)) {
      c.error("/lines", lines == null || lines.isNull() ? "is required" : "must be an array");
    } else if (arr.isEmpty() || arr.size() > MAX_LINES) {
      c.error("/lines", "must have 1.." + MAX_LINES + " lines");
    } else {
      for (int i = 0; i < arr.size(); i++) {
        String base = "/lines/" + i;
        if (!(arr.get(i) instanceof ObjectNode line)) {
          c.error(base, "must be an object");
          continue;
        }
        c.onlyKnown(line, base, Set.of("sku", "quantity", "unitPriceCents"));
        req.addLines(
            OrderLine.newBuilder()
                .setSku(c.string(line, base, "sku", 1, 64, true))
                .setQuantity((int) c.integer(line, base, "quantity", 1, MAX_QUANTITY))
                .setUnitPriceCents(
                    c.integer(line, base, "unitPriceCents", 0, MAX_UNIT_PRICE_CENTS)));
      }
    }
    c.throwIfAny();
    if (!customerId.isEmpty() && !customerId.equals(callerId))
      throw Problem.forbidden(
              "orders can only be placed for the caller (token subject differs from customerId)")
          .asException();
    return req.build();
  }

  static ObjectNode order(Order o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", o.getOrderId());
    n.put("customerId", o.getCustomerId());
    ArrayNode lines = n.putArray("lines");
    for (OrderLine l : o.getLinesList())
      lines
          .addObject()
          .put("sku", l.getSku())
          .put("quantity", l.getQuantity())
          .put("unitPriceCents", l.getUnitPriceCents());
    n.put("status", status(o));
    n.put("totalCents", o.getTotalCents());
    if (!o.getShipmentId().isEmpty()) n.put("shipmentId", o.getShipmentId());
    n.put("placedAtEpochMillis", o.getPlacedAtEpochMillis());
    if (!o.getStatusReason().isEmpty()) n.put("statusReason", o.getStatusReason());
    return n;
  }

  private static String status(Order o) {
    String name = o.getStatus() == null ? "UNRECOGNIZED" : o.getStatus().name();
    return name.startsWith(STATUS_PREFIX) ? name.substring(STATUS_PREFIX.length()) : name;
  }
}
