package dev.rampart.order;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.grpc.GrpcServiceException;
import akka.grpc.javadsl.Metadata;
import akka.pattern.StatusReply;
import dev.rampart.contract.TraceContext;
import dev.rampart.platform.GrpcDeadline;
import dev.rampart.platform.GrpcTrace;
import dev.rampart.platform.PlatformMetrics;
import dev.rampart.proto.order.v1.CancelOrderRequest;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.proto.order.v1.OrderServicePowerApi;
import dev.rampart.proto.order.v1.PlaceOrderRequest;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Order gRPC API over the sharded {@link OrderEntity}. Validates input (INVALID_ARGUMENT), the
 * customer with User (unknown: FAILED_PRECONDITION), and answers only what the journal holds: a
 * write that is not confirmed in time is UNAVAILABLE, never a success. The call's W3C trace (its
 * {@code traceparent} metadata) goes on to User and, with the persisted events, to Shipping and
 * Kafka.
 */
public final class OrderServiceImpl implements OrderServicePowerApi {
  private static final Logger log = LoggerFactory.getLogger(OrderServiceImpl.class);

  /** What a call's answer needs to reach its caller before the caller's deadline. */
  static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

  private final ClusterSharding sharding;
  private final UserServiceClient users;
  private final Duration askTimeout;
  private final Counter placed;

  public OrderServiceImpl(ActorSystem<?> system, UserServiceClient users) {
    this.sharding = ClusterSharding.get(system);
    this.users = users;
    this.askTimeout = system.settings().config().getDuration("rampart.order.ask-timeout");
    this.placed = PlatformMetrics.get(system).registry().counter("rampart_orders_placed");
  }

  @Override
  public CompletionStage<Order> placeOrder(PlaceOrderRequest in, Metadata metadata) {
    Optional<TraceContext> trace = GrpcTrace.of(metadata);
    List<String> problems = OrderRequests.problems(in);
    if (!problems.isEmpty()) {
      return failed(Status.INVALID_ARGUMENT, String.join("; ", problems));
    }
    EntityRef<OrderEntity.Command> order = entity(in.getOrderId());
    List<OrderEntity.Line> lines = OrderRequests.lines(in.getLinesList());
    CompletionStage<OrderEntity.Summary> result =
        ask(order, OrderEntity.Get::new)
            .handle(
                (existing, error) -> {
                  if (error == null) {
                    // a retry of an earlier PlaceOrder: same content is idempotent (the entity
                    // confirms an order an earlier version left PLACED), other content a conflict
                    if (!existing.customerId().equals(in.getCustomerId())
                        || !existing.lines().equals(lines)) {
                      throw grpcError(
                          Status.ALREADY_EXISTS,
                          "order " + in.getOrderId() + " exists with other content");
                    }
                    return existing.status() == OrderEntity.Status.PLACED
                        ? place(order, in.getCustomerId(), lines, trace)
                        : CompletableFuture.completedFuture(existing);
                  }
                  if (!isNotFound(error)) {
                    throw toGrpc(error);
                  }
                  return checkCustomer(in.getCustomerId(), trace)
                      .thenCompose(ok -> place(order, in.getCustomerId(), lines, trace))
                      .thenApply(
                          placedNow -> {
                            placed.increment();
                            GrpcTrace.inMdc(
                                trace,
                                () ->
                                    log.info(
                                        "Order {} placed ({} lines)",
                                        in.getOrderId(),
                                        lines.size()));
                            return placedNow;
                          });
                })
            .thenCompose(stage -> stage);
    return beforeDeadline(result, metadata)
        .thenApply(OrderRequests::toProto)
        .exceptionally(
            e -> {
              throw toGrpc(e);
            });
  }

  /**
   * The result, or a timeout {@link #DEADLINE_MARGIN} before the caller's deadline, which {@link
   * #toGrpc} answers as UNAVAILABLE ("retry with the same order_id"): while a shard moves in a
   * rolling update its orders wait for seconds, and the caller (the gateway) should hear "retry",
   * not time out itself. The work goes on; a retry with the same id finds what it did.
   */
  private static <T> CompletionStage<T> beforeDeadline(
      CompletionStage<T> result, Metadata metadata) {
    return GrpcDeadline.of(metadata)
        .map(d -> d.minus(DEADLINE_MARGIN))
        .filter(d -> !d.isNegative() && !d.isZero())
        .<CompletionStage<T>>map(
            d -> result.toCompletableFuture().copy().orTimeout(d.toMillis(), TimeUnit.MILLISECONDS))
        .orElse(result);
  }

  @Override
  public CompletionStage<Order> getOrder(GetOrderRequest in, Metadata metadata) {
    var invalid = OrderRequests.invalidId("order_id", in.getOrderId());
    if (invalid.isPresent()) {
      return failed(Status.INVALID_ARGUMENT, invalid.get());
    }
    return ask(entity(in.getOrderId()), OrderEntity.Get::new)
        .thenApply(OrderRequests::toProto)
        .exceptionally(
            e -> {
              throw toGrpc(e);
            });
  }

  @Override
  public CompletionStage<Order> cancelOrder(CancelOrderRequest in, Metadata metadata) {
    var invalid = OrderRequests.invalidId("order_id", in.getOrderId());
    if (invalid.isPresent()) {
      return failed(Status.INVALID_ARGUMENT, invalid.get());
    }
    if (in.getReason().length() > 500) {
      return failed(Status.INVALID_ARGUMENT, "reason: at most 500 characters");
    }
    String reason = in.getReason().isEmpty() ? "cancelled by customer" : in.getReason();
    return ask(entity(in.getOrderId()), replyTo -> new OrderEntity.Cancel(reason, replyTo))
        .thenApply(OrderRequests::toProto)
        .exceptionally(
            e -> {
              throw toGrpc(e);
            });
  }

  /** One ask, one journal write: the entity persists Placed and Confirmed together. */
  private CompletionStage<OrderEntity.Summary> place(
      EntityRef<OrderEntity.Command> order,
      String customerId,
      List<OrderEntity.Line> lines,
      Optional<TraceContext> trace) {
    String traceparent = trace.map(TraceContext::format).orElse(null);
    return ask(
        order,
        replyTo ->
            new OrderEntity.Place(
                customerId, lines, System.currentTimeMillis(), traceparent, replyTo));
  }

  /**
   * User answers CheckCustomer from the profile alone (no order history, no presence): registered =
   * valid; not registered = unknown customer; a failure = User unavailable.
   */
  private CompletionStage<Boolean> checkCustomer(String customerId, Optional<TraceContext> trace) {
    return GrpcTrace.propagate(trace, users.checkCustomer())
        .invoke(CheckCustomerRequest.newBuilder().setUserId(customerId).build())
        .handle(
            (check, error) -> {
              if (error == null && check.getRegistered()) {
                return true;
              }
              if (error == null) {
                throw grpcError(Status.FAILED_PRECONDITION, "unknown customer " + customerId);
              }
              Status status = Status.fromThrowable(unwrap(error));
              GrpcTrace.inMdc(
                  trace,
                  () ->
                      log.warn(
                          "User service failed while checking customer {}: {}",
                          customerId,
                          status));
              throw grpcError(
                  Status.UNAVAILABLE,
                  "cannot validate the customer now (User: " + status.getCode() + ")");
            });
  }

  private EntityRef<OrderEntity.Command> entity(String orderId) {
    return sharding.entityRefFor(OrderEntity.TYPE_KEY, orderId);
  }

  private CompletionStage<OrderEntity.Summary> ask(
      EntityRef<OrderEntity.Command> order,
      java.util.function.Function<
              akka.actor.typed.ActorRef<StatusReply<OrderEntity.Summary>>, OrderEntity.Command>
          command) {
    return order.askWithStatus(command::apply, askTimeout);
  }

  private static boolean isNotFound(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof StatusReply.ErrorMessage m && m.getMessage().equals(OrderEntity.NOT_FOUND);
  }

  /** Maps entity errors and timeouts to gRPC status; already mapped errors pass through. */
  static StatusRuntimeException toGrpc(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof StatusReply.ErrorMessage m) {
      String msg = m.getMessage();
      if (msg.equals(OrderEntity.NOT_FOUND)) {
        return grpcError(Status.NOT_FOUND, msg);
      }
      if (msg.equals(OrderEntity.ALREADY_EXISTS)) {
        return grpcError(Status.ALREADY_EXISTS, msg);
      }
      return grpcError(Status.FAILED_PRECONDITION, msg);
    }
    if (e instanceof TimeoutException || e instanceof akka.pattern.AskTimeoutException) {
      // the journal did not confirm in time (or the entity is recovering after a failure): not done
      return grpcError(
          Status.UNAVAILABLE,
          "the order store did not answer in time; retry with the same order_id");
    }
    log.error("Unexpected failure", e);
    return grpcError(Status.INTERNAL, "internal error");
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static StatusRuntimeException grpcError(Status status, String description) {
    return new GrpcServiceException(status.withDescription(description));
  }

  private static <T> CompletionStage<T> failed(Status status, String description) {
    return CompletableFuture.failedFuture(grpcError(status, description));
  }
}
