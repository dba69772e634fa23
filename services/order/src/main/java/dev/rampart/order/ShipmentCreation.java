package dev.rampart.order;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import dev.rampart.contract.TraceContext;
import dev.rampart.platform.GrpcTrace;
import dev.rampart.proto.shipping.v1.CancelShipmentRequest;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection handler: for every confirmed order, asks Shipping to create its shipment (idempotent:
 * shipment id = order id, so a redelivered event creates nothing new). The order is SHIPPED when
 * its parcel is picked up: when the shipment's carrier reports its progress and this node hears the
 * shipment events, on the carrier's pickup ({@link ShipmentEventsConsumer}); otherwise (Shipping's
 * local carrier, which never reports, or no Kafka) here, once the shipment exists. Shipping being
 * down fails the handler, and the projection retries from its stored offset; a shipment Shipping
 * refuses outright rejects the order (a no-op for an order cancelled meanwhile, whose shipment
 * Shipping refuses). The call continues the placing request's trace, kept on the event.
 *
 * <p>For every cancelled order it asks Shipping to cancel the shipment (its booking too), at least
 * once; one projection handles both, so per order the cancel follows the creation. A shipment
 * already picked up (FAILED_PRECONDITION) lost the race: logged and skipped. Shipping down fails
 * the handler, retried as above.
 */
final class ShipmentCreation extends Handler<EventEnvelope<OrderEntity.Event>> {
  private static final Logger log = LoggerFactory.getLogger(ShipmentCreation.class);
  private static final Set<Status.Code> REFUSALS =
      Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND);

  private final ClusterSharding sharding;
  private final ShippingServiceClient shipping;
  private final Duration askTimeout;
  private final boolean hearsShipmentEvents;

  ShipmentCreation(
      ActorSystem<?> system, ShippingServiceClient shipping, boolean hearsShipmentEvents) {
    this.hearsShipmentEvents = hearsShipmentEvents;
    this.sharding = ClusterSharding.get(system);
    this.shipping = shipping;
    this.askTimeout = system.settings().config().getDuration("rampart.order.ask-timeout");
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<OrderEntity.Event> envelope) {
    if (envelope.event() instanceof OrderEntity.Cancelled cancelled) {
      return cancelShipment(cancelled);
    }
    if (!(envelope.event() instanceof OrderEntity.Confirmed confirmed)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    String orderId = confirmed.orderId();
    var order = sharding.entityRefFor(OrderEntity.TYPE_KEY, orderId);
    Optional<TraceContext> trace = TraceContext.parse(confirmed.traceparent());
    return GrpcTrace.propagate(trace, shipping.createShipment())
        .invoke(
            CreateShipmentRequest.newBuilder()
                .setOrderId(orderId)
                .setCustomerId(confirmed.customerId())
                .build())
        .handle(
            (shipment, error) -> { // the shipment id is the order id
              if (error == null) {
                if (hearsShipmentEvents && shipment.getCarrierReportsProgress()) {
                  // SHIPPED on the carrier's pickup, from shipment-events
                  return CompletableFuture.completedFuture((OrderEntity.Summary) null);
                }
                return order.<OrderEntity.Summary>askWithStatus(
                    r -> new OrderEntity.MarkShipped(orderId, r), askTimeout);
              }
              Status status = Status.fromThrowable(unwrap(error));
              if (REFUSALS.contains(status.getCode())) {
                GrpcTrace.inMdc(
                    trace,
                    () ->
                        log.warn("Shipping refused the shipment of order {}: {}", orderId, status));
                return order.<OrderEntity.Summary>askWithStatus(
                    r -> new OrderEntity.Reject("shipment refused: " + status.getDescription(), r),
                    askTimeout);
              }
              throw new CompletionException(unwrap(error)); // retried by the projection
            })
        .thenCompose(stage -> stage)
        .handle(
            (summary, error) -> {
              if (error != null && unwrap(error) instanceof StatusReply.ErrorMessage m) {
                // e.g. cancelled meanwhile: the order's own state wins, nothing to retry
                log.info(
                    "Order {} not marked after shipment creation: {}", orderId, m.getMessage());
                return Done.getInstance();
              }
              if (error != null) {
                throw new CompletionException(unwrap(error));
              }
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> cancelShipment(OrderEntity.Cancelled cancelled) {
    String orderId = cancelled.orderId();
    return shipping
        .cancelShipment()
        .invoke(
            CancelShipmentRequest.newBuilder()
                .setShipmentId(orderId)
                .setReason(cancelled.reason() == null ? "" : cancelled.reason())
                .build())
        .handle(
            (shipment, error) -> {
              if (error == null) {
                log.info("Shipment of cancelled order {} cancelled", orderId);
                return Done.getInstance();
              }
              Status status = Status.fromThrowable(unwrap(error));
              if (REFUSALS.contains(status.getCode())) {
                // picked up already: the parcel is with the carrier, nothing to undo here
                log.warn("Shipment of cancelled order {} not cancelled: {}", orderId, status);
                return Done.getInstance();
              }
              throw new CompletionException(unwrap(error)); // retried by the projection
            });
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
