package dev.rampart.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.grpc.GrpcClientSettings;
import dev.rampart.proto.order.v1.CancelOrderRequest;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderLine;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One real Order node (PostgreSQL journal) called over real HTTP/2 gRPC on loopback; User and
 * Shipping are small real gRPC servers. Good input is served; bad input gets the right status and
 * changes nothing.
 */
class OrderGrpcTest {
  private static TestDatabase db;
  private static PeerServers peers;
  private static OrderNodes nodes;
  private static OrderServiceClient client;

  @BeforeAll
  static void start() {
    db = Postgres.shared().createDatabase("order_grpc");
    peers = new PeerServers("alice", "bob");
    nodes = OrderNodes.start(1, db, peers, Map.of());
    client = nodes.node(0).client();
  }

  @AfterAll
  static void stop() {
    if (nodes != null) nodes.close();
    if (peers != null) peers.close();
    if (db != null) db.close();
  }

  static PlaceOrderRequest order(String id, String customer, OrderLine... lines) {
    return PlaceOrderRequest.newBuilder()
        .setOrderId(id)
        .setCustomerId(customer)
        .addAllLines(java.util.List.of(lines))
        .build();
  }

  static OrderLine line(String sku, int quantity, long price) {
    return OrderLine.newBuilder()
        .setSku(sku)
        .setQuantity(quantity)
        .setUnitPriceCents(price)
        .build();
  }

  @Test
  void placedOrderIsConfirmedThenShippedThroughShipping() throws Exception {
    Order placed =
        call(client.placeOrder(order("g-1", "alice", line("book", 2, 1250), line("pen", 1, 99))));
    assertThat(placed.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
    assertThat(placed.getTotalCents()).isEqualTo(2599);
    assertThat(placed.getLinesCount()).isEqualTo(2);

    // the shipment projection asks Shipping (shipment id = order id) and marks the order shipped
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Order got =
                  call(client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-1").build()));
              assertThat(got.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_SHIPPED);
              assertThat(got.getShipmentId()).isEqualTo("g-1");
            });
    assertThat(peers.shipmentRequests)
        .anySatisfy(
            r -> {
              assertThat(r.getOrderId()).isEqualTo("g-1");
              assertThat(r.getCustomerId()).isEqualTo("alice");
            });

    // shipped: too late to cancel
    assertStatus(
        client.cancelOrder(CancelOrderRequest.newBuilder().setOrderId("g-1").build()),
        Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void theCallersTraceGoesToUserAndShippingAndIsInTheMdcOfTheOrderLog() throws Exception {
    var context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger orderLog = context.getLogger(OrderServiceImpl.class);
    var captured =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    captured.setContext(context);
    captured.start();
    orderLog.addAppender(captured);
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    try {
      Order placed =
          call(
              client
                  .placeOrder()
                  .addHeader("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                  .invoke(order("g-trace", "alice", line("map", 1, 300))));
      assertThat(placed.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
      assertThat(captured.list)
          .anySatisfy(
              e -> {
                assertThat(e.getFormattedMessage()).contains("Order g-trace placed");
                assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", traceId);
              });
      // CheckCustomer at once, CreateShipment from the projection, both as child spans
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(peers.traceparents)
                      .anyMatch(
                          t ->
                              t.startsWith(
                                  "/rampart.user.v1.UserService/CheckCustomer 00-" + traceId))
                      .anyMatch(
                          t ->
                              t.startsWith(
                                  "/rampart.shipping.v1.ShippingService/CreateShipment 00-"
                                      + traceId))
                      .noneMatch(t -> t.contains("b7ad6b7169203331")));
    } finally {
      orderLog.detachAppender(captured);
    }
  }

  @Test
  void placeOrderIsIdempotentByOrderId() throws Exception {
    Order first = call(client.placeOrder(order("g-2", "bob", line("cup", 1, 500))));
    Order again = call(client.placeOrder(order("g-2", "bob", line("cup", 1, 500))));
    assertThat(again.getOrderId()).isEqualTo(first.getOrderId());
    assertThat(again.getPlacedAtEpochMillis()).isEqualTo(first.getPlacedAtEpochMillis());

    assertStatus(
        client.placeOrder(order("g-2", "bob", line("cup", 2, 500))), Status.Code.ALREADY_EXISTS);
  }

  @Test
  void cancelBeforeShipping() throws Exception {
    peers.customers.add("carol");
    peers.shippingDownFor.add("carol"); // the shipment projection cannot ship it: it retries
    try {
      Order placed = call(client.placeOrder(order("g-3", "carol", line("hat", 1, 700))));
      assertThat(placed.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
      // the projection has tried and failed: the order is confirmed, its shipment pending
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> peers.shipmentRequests.stream().anyMatch(r -> r.getOrderId().equals("g-3")));
      Order cancelled =
          call(
              client.cancelOrder(
                  CancelOrderRequest.newBuilder()
                      .setOrderId("g-3")
                      .setReason("changed my mind")
                      .build()));
      assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
      assertThat(cancelled.getStatusReason()).isEqualTo("changed my mind");
      assertThat(
              call(client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-3").build()))
                  .getStatus())
          .isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
    } finally {
      peers.shippingDownFor.remove("carol");
    }
  }

  /**
   * A cancel racing the shipment: Shipping hears Create then Cancel (same projection), and a cancel
   * Shipping cannot serve for now is retried; one refused because the parcel is picked up is
   * skipped, and later cancels still go through.
   */
  @Test
  void aCancelledOrdersShipmentIsCancelledAfterItsCreation() throws Exception {
    peers.customers.add("erin");
    peers.pickedUp.add("g-c2");
    peers.cancelDownFor.add("g-c3");
    for (String id : List.of("g-c1", "g-c2", "g-c3")) {
      call(client.placeOrder(order(id, "erin", line("mug", 1, 900))));
      call(client.cancelOrder(CancelOrderRequest.newBuilder().setOrderId(id).build()));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                peers.cancelRequests.stream().filter(r -> r.getShipmentId().equals("g-c3")).count()
                    >= 2);
    peers.cancelDownFor.remove("g-c3");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(peers.shipments.get("g-c1").getStatus()).isEqualTo("CANCELLED");
              assertThat(peers.shipments.get("g-c3").getStatus()).isEqualTo("CANCELLED");
            });
    // the picked-up one: refused once, skipped (not retried), and its order stays CANCELLED
    assertThat(peers.cancelRequests.stream().filter(r -> r.getShipmentId().equals("g-c2")))
        .hasSize(1);
    // per order, Create came before Cancel, and the create of a cancelled order changed nothing
    for (String id : List.of("g-c1", "g-c2", "g-c3")) {
      // created first (a cancel first would leave a tombstone with no customer)
      assertThat(peers.shipments.get(id).getCustomerId()).isEqualTo("erin");
      assertThat(
              call(client.getOrder(GetOrderRequest.newBuilder().setOrderId(id).build()))
                  .getStatus())
          .isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
    }
  }

  @Test
  void shipmentRefusedByShippingRejectsTheOrder() throws Exception {
    peers.customers.add("dave");
    peers.unshippable.add("dave");
    call(client.placeOrder(order("g-7", "dave", line("lamp", 1, 3000))));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Order got =
                  call(client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-7").build()));
              assertThat(got.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_REJECTED);
              assertThat(got.getStatusReason()).contains("no address for the customer");
            });
  }

  @Test
  void userUnavailableIsUnavailableAndStoresNothing() {
    peers.userUnavailable = true;
    try {
      assertStatus(
          client.placeOrder(order("g-8", "alice", line("a", 1, 1))), Status.Code.UNAVAILABLE);
    } finally {
      peers.userUnavailable = false;
    }
    assertStatus(
        client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-8").build()),
        Status.Code.NOT_FOUND);
  }

  /**
   * The gateway calls with a deadline; an order Order cannot finish in time (here User is slow; in
   * a rolling update its shard is moving) is answered UNAVAILABLE before that deadline, which the
   * gateway turns into a 503 with Retry-After, not a 504 of its own.
   */
  @Test
  void anOrderThatCannotBeDoneBeforeTheCallersDeadlineIsUnavailableBeforeIt() {
    var node = nodes.node(0);
    var system = node.order().runtime().system();
    OrderServiceClient withDeadline =
        OrderServiceClient.create(
            GrpcClientSettings.connectToServiceAt(node.ip(), node.grpcPort(), system)
                .withTls(false)
                .withDeadline(Duration.ofSeconds(2)),
            system);
    peers.userDelay = Duration.ofSeconds(4);
    try {
      long start = System.nanoTime();
      assertStatus(
          withDeadline.placeOrder(order("g-slow", "alice", line("a", 1, 1))),
          Status.Code.UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("answered before the caller's deadline")
          .isLessThan(Duration.ofSeconds(2));
    } finally {
      peers.userDelay = Duration.ZERO;
      withDeadline.close();
    }
  }

  @Test
  void missingOrInvalidFieldsAreInvalidArgument() {
    assertStatus(
        client.placeOrder(order("", "alice", line("a", 1, 1))), Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.placeOrder(order("g-bad-1", "", line("a", 1, 1))), Status.Code.INVALID_ARGUMENT);
    assertStatus(client.placeOrder(order("g-bad-2", "alice")), Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.placeOrder(order("g-bad-3", "alice", line("a", 0, 1))),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.placeOrder(order("g-bad-4", "alice", line("a", 1, -5))),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.placeOrder(order("g bad/5", "alice", line("a", 1, 1))),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.placeOrder(order("g-bad-6", "alice", line("", 1, 1))), Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.getOrder(GetOrderRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT);
    assertStatus(
        client.cancelOrder(CancelOrderRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT);
    // nothing was stored for any of them
    assertStatus(
        client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-bad-2").build()),
        Status.Code.NOT_FOUND);
  }

  @Test
  void unknownIdsAreNotFoundAndUnknownCustomerIsFailedPrecondition() {
    assertStatus(
        client.getOrder(GetOrderRequest.newBuilder().setOrderId("nope").build()),
        Status.Code.NOT_FOUND);
    assertStatus(
        client.cancelOrder(CancelOrderRequest.newBuilder().setOrderId("nope").build()),
        Status.Code.NOT_FOUND);

    assertStatus(
        client.placeOrder(order("g-4", "mallory", line("a", 1, 1))),
        Status.Code.FAILED_PRECONDITION);
    assertStatus(
        client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-4").build()),
        Status.Code.NOT_FOUND);
  }

  @Test
  void oversizedMessageIsRefusedAndTheServerKeepsServing() throws Exception {
    String huge = "x".repeat(2 * 1024 * 1024);
    Status.Code code = statusOf(client.placeOrder(order("g-5", "alice", line(huge, 1, 1))));
    // refused as soon as it passes the bound (never buffered whole), with grpc-java's status for it
    assertThat(code).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertStatus(
        client.getOrder(GetOrderRequest.newBuilder().setOrderId("g-5").build()),
        Status.Code.NOT_FOUND);
    assertThat(call(client.placeOrder(order("g-6", "alice", line("ok", 1, 1)))).getStatus())
        .isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
  }

  static <T> T call(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Status.Code statusOf(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertStatus(CompletionStage<?> stage, Status.Code expected) {
    assertThat(statusOf(stage)).isEqualTo(expected);
  }
}
