package dev.rampart.order;

import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderLine;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Pure translation between the gRPC messages and the entity's model, with input validation. */
final class OrderRequests {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final int MAX_LINES = 100;
  static final int MAX_SKU = 64;
  static final int MAX_QUANTITY = 1000;

  /** Empty when the id is valid, else what is wrong with it. */
  static Optional<String> invalidId(String field, String value) {
    if (value.isEmpty()) {
      return Optional.of(field + " is required");
    }
    if (!ID.matcher(value).matches()) {
      return Optional.of(field + " must be 1..64 characters of [A-Za-z0-9_-]");
    }
    return Optional.empty();
  }

  /** Every problem of a PlaceOrderRequest (empty: valid). */
  static List<String> problems(PlaceOrderRequest in) {
    List<String> problems = new ArrayList<>();
    invalidId("order_id", in.getOrderId()).ifPresent(problems::add);
    invalidId("customer_id", in.getCustomerId()).ifPresent(problems::add);
    if (in.getLinesCount() == 0) {
      problems.add("lines: at least one line is required");
    } else if (in.getLinesCount() > MAX_LINES) {
      problems.add("lines: at most " + MAX_LINES + " lines");
    }
    for (int i = 0; i < Math.min(in.getLinesCount(), MAX_LINES); i++) {
      OrderLine line = in.getLines(i);
      if (line.getSku().isEmpty() || line.getSku().length() > MAX_SKU) {
        problems.add("lines[" + i + "].sku must be 1.." + MAX_SKU + " characters");
      }
      if (line.getQuantity() < 1 || line.getQuantity() > MAX_QUANTITY) {
        problems.add("lines[" + i + "].quantity must be 1.." + MAX_QUANTITY);
      }
      if (line.getUnitPriceCents() < 0) {
        problems.add("lines[" + i + "].unit_price_cents must be >= 0");
      }
    }
    return problems;
  }

  static List<OrderEntity.Line> lines(List<OrderLine> lines) {
    return lines.stream()
        .map(l -> new OrderEntity.Line(l.getSku(), l.getQuantity(), l.getUnitPriceCents()))
        .toList();
  }

  static List<OrderLine> protoLines(List<OrderEntity.Line> lines) {
    return lines.stream()
        .map(
            l ->
                OrderLine.newBuilder()
                    .setSku(l.sku())
                    .setQuantity(l.quantity())
                    .setUnitPriceCents(l.unitPriceCents())
                    .build())
        .toList();
  }

  static Order toProto(OrderEntity.Summary s) {
    return Order.newBuilder()
        .setOrderId(s.orderId())
        .setCustomerId(s.customerId())
        .addAllLines(protoLines(s.lines()))
        .setStatus(toProto(s.status()))
        .setTotalCents(s.totalCents())
        .setShipmentId(s.shipmentId())
        .setPlacedAtEpochMillis(s.placedAtEpochMillis())
        .setStatusReason(s.statusReason())
        .build();
  }

  static OrderStatus toProto(OrderEntity.Status status) {
    return switch (status) {
      case PLACED -> OrderStatus.ORDER_STATUS_PLACED;
      case CONFIRMED -> OrderStatus.ORDER_STATUS_CONFIRMED;
      case REJECTED -> OrderStatus.ORDER_STATUS_REJECTED;
      case CANCELLED -> OrderStatus.ORDER_STATUS_CANCELLED;
      case SHIPPED -> OrderStatus.ORDER_STATUS_SHIPPED;
      case DELIVERED -> OrderStatus.ORDER_STATUS_DELIVERED;
    };
  }

  private OrderRequests() {}
}
