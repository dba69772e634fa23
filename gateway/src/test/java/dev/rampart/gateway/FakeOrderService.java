package dev.rampart.gateway;

import dev.rampart.proto.order.v1.CancelOrderRequest;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderLine;
import dev.rampart.proto.order.v1.OrderService;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderRecorded;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.ShipmentNotice;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small in-memory OrderService with the real contract's behaviour (idempotent per order id,
 * ALREADY_EXISTS on different content, FAILED_PRECONDITION for an unknown customer, NOT_FOUND).
 * Placing an order plays the rest of the pipeline on the fake user side: the user gets an
 * OrderRecorded and then a shipment notice.
 */
final class FakeOrderService implements OrderService {
  /**
   * SKUs the fake's catalogue rejects with INVALID_ARGUMENT (a business rule the gateway cannot
   * know).
   */
  static final String DISCONTINUED_SKU = "DISCONTINUED";

  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final FakeUserService users;

  FakeOrderService(FakeUserService users) {
    this.users = users;
  }

  @Override
  public CompletionStage<Order> placeOrder(PlaceOrderRequest in) {
    try {
      if (!users.exists(in.getCustomerId()))
        throw FakeUserService.error(
            Status.FAILED_PRECONDITION, "unknown customer " + in.getCustomerId());
      for (OrderLine l : in.getLinesList())
        if (l.getSku().equals(DISCONTINUED_SKU))
          throw FakeUserService.error(
              Status.INVALID_ARGUMENT, "sku " + l.getSku() + " is discontinued");
      long total =
          in.getLinesList().stream().mapToLong(l -> l.getQuantity() * l.getUnitPriceCents()).sum();
      Order candidate =
          Order.newBuilder()
              .setOrderId(in.getOrderId())
              .setCustomerId(in.getCustomerId())
              .addAllLines(in.getLinesList())
              .setStatus(OrderStatus.ORDER_STATUS_PLACED)
              .setTotalCents(total)
              .setShipmentId(in.getOrderId())
              .setPlacedAtEpochMillis(System.currentTimeMillis())
              .build();
      Order existing = orders.putIfAbsent(in.getOrderId(), candidate);
      if (existing != null) {
        if (!existing.getCustomerId().equals(in.getCustomerId())
            || !existing.getLinesList().equals(in.getLinesList()))
          throw FakeUserService.error(
              Status.ALREADY_EXISTS, "order " + in.getOrderId() + " exists with different content");
        return CompletableFuture.completedFuture(existing);
      }
      users.recordOrder(
          in.getCustomerId(),
          OrderSummary.newBuilder()
              .setOrderId(in.getOrderId())
              .setStatus("PLACED")
              .setTotalCents(total)
              .setShipmentStatus("BOOKED")
              .build());
      long now = System.currentTimeMillis();
      users.publish(
          Notification.newBuilder()
              .setNotificationId("recorded-" + in.getOrderId())
              .setUserId(in.getCustomerId())
              .setAtEpochMillis(now)
              .setOrderRecorded(
                  OrderRecorded.newBuilder().setOrderId(in.getOrderId()).setStatus("PLACED"))
              .build());
      Notification shipped =
          Notification.newBuilder()
              .setNotificationId("shipment-" + in.getOrderId() + "-BOOKED")
              .setUserId(in.getCustomerId())
              .setAtEpochMillis(now)
              .setShipmentNotice(
                  ShipmentNotice.newBuilder()
                      .setShipmentId(in.getOrderId())
                      .setOrderId(in.getOrderId())
                      .setStatus("BOOKED")
                      .setCarrier("rampart-post")
                      .setTrackingCode("RP" + in.getOrderId()))
              .build();
      users.publish(shipped);
      users.publish(shipped); // at-least-once upstream: the gateway must deliver it once
      return CompletableFuture.completedFuture(candidate);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Order> getOrder(GetOrderRequest in) {
    Order o = orders.get(in.getOrderId());
    return o == null
        ? CompletableFuture.failedFuture(
            FakeUserService.error(Status.NOT_FOUND, "no order " + in.getOrderId()))
        : CompletableFuture.completedFuture(o);
  }

  @Override
  public CompletionStage<Order> cancelOrder(CancelOrderRequest in) {
    return CompletableFuture.failedFuture(
        FakeUserService.error(Status.UNIMPLEMENTED, "not in the fake"));
  }
}
