package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.grpc.GrpcServiceException;
import akka.grpc.javadsl.Metadata;
import dev.rampart.platform.GrpcTrace;
import dev.rampart.proto.shipping.v1.CancelShipmentRequest;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.shipping.v1.ShippingServicePowerApi;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The Shipping gRPC API. CreateShipment is idempotent (shipment id = order id): it creates the
 * shipment, then hands a carrier booking to reliable delivery and answers only once the booking is
 * durably queued; a retry after a failure re-queues the booking of a shipment that is still CREATED
 * (booking is idempotent). CancelShipment cancels a shipment not yet picked up, and its booking at
 * the carrier when one was made: the carrier failing is UNAVAILABLE, and a retry (the shipment
 * already CANCELLED) cancels at the carrier again (idempotent).
 */
public final class ShippingServiceImpl implements ShippingServicePowerApi {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ShippingServiceImpl.class);
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ActorRef<CarrierBookingProducer.Command> bookings;
  private final Duration askTimeout;
  private final boolean carrierReports;
  private final Carrier carrier;

  /** A carrier other than {@link Carrier#LOCAL} is a real one, which reports progress by events. */
  ShippingServiceImpl(
      ActorSystem<?> system, ActorRef<CarrierBookingProducer.Command> bookings, Carrier carrier) {
    this.carrier = carrier;
    this.carrierReports = carrier != Carrier.LOCAL;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.bookings = bookings;
    this.askTimeout = system.settings().config().getDuration("rampart.shipping.ask-timeout");
  }

  @Override
  public CompletionStage<Shipment> createShipment(CreateShipmentRequest in, Metadata metadata) {
    var trace = GrpcTrace.of(metadata);
    List<String> problems = ShippingProtocol.createProblems(in);
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(
          status(Status.INVALID_ARGUMENT, String.join("; ", problems)));
    }
    return address(in)
        .thenCompose(
            address ->
                ask(
                    in.getOrderId(),
                    replyTo -> new ShipmentEntity.Create(in.getCustomerId(), address, replyTo)))
        .thenCompose(
            shipment ->
                shipment.status() != ShipmentEntity.Status.CREATED
                    ? CompletableFuture.completedFuture(shipment)
                    : AskPattern.<CarrierBookingProducer.Command, Done>ask(
                            bookings,
                            replyTo ->
                                new CarrierBookingProducer.RequestBooking(
                                    new CarrierBooking.Book(
                                        shipment.shipmentId(),
                                        shipment.customerId(),
                                        shipment.address()),
                                    replyTo),
                            askTimeout,
                            system.scheduler())
                        .exceptionally(
                            failure -> {
                              throw new CompletionException(
                                  status(
                                      Status.UNAVAILABLE,
                                      "the carrier booking could not be queued; retry"
                                          + " CreateShipment"));
                            })
                        .thenApply(
                            done -> {
                              // once per shipment, under the trace of the order that caused it
                              GrpcTrace.inMdc(
                                  trace,
                                  () ->
                                      log.info(
                                          "Shipment {} created, carrier booking queued",
                                          shipment.shipmentId()));
                              return shipment;
                            }))
        .thenApply(this::toProto);
  }

  @Override
  public CompletionStage<Shipment> cancelShipment(CancelShipmentRequest in, Metadata metadata) {
    List<String> problems = ShippingProtocol.idProblems("shipment_id", in.getShipmentId());
    if (in.getReason().length() > 500) {
      problems = new java.util.ArrayList<>(problems);
      problems.add("reason must be at most 500 characters");
    }
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(
          status(Status.INVALID_ARGUMENT, String.join("; ", problems)));
    }
    return ask(in.getShipmentId(), replyTo -> new ShipmentEntity.Cancel(in.getReason(), replyTo))
        .thenCompose(
            shipment ->
                shipment.carrier().isEmpty()
                    ? CompletableFuture.completedFuture(shipment)
                    : carrier
                        .cancel(shipment.shipmentId())
                        .exceptionally(
                            failure -> {
                              throw new CompletionException(
                                  status(
                                      Status.UNAVAILABLE,
                                      "the carrier did not cancel the booking; retry"
                                          + " CancelShipment"));
                            })
                        .thenApply(done -> shipment))
        .thenApply(
            shipment -> {
              GrpcTrace.inMdc(
                  GrpcTrace.of(metadata),
                  () -> log.info("Shipment {} is cancelled", shipment.shipmentId()));
              return toProto(shipment);
            });
  }

  private Shipment toProto(ShipmentEntity.State shipment) {
    return ShippingProtocol.toProto(shipment).toBuilder()
        .setCarrierReportsProgress(carrierReports)
        .build();
  }

  @Override
  public CompletionStage<Shipment> getShipment(GetShipmentRequest in, Metadata metadata) {
    List<String> problems = ShippingProtocol.idProblems("shipment_id", in.getShipmentId());
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(
          status(Status.INVALID_ARGUMENT, String.join("; ", problems)));
    }
    return ask(in.getShipmentId(), ShipmentEntity.Get::new).thenApply(this::toProto);
  }

  /**
   * A carrier's event: applied when it moves the shipment forward, acknowledged unchanged when it
   * is a duplicate or late (the response says which).
   */
  @Override
  public CompletionStage<RecordCarrierEventResponse> recordCarrierEvent(
      RecordCarrierEventRequest in, Metadata metadata) {
    List<String> problems = ShippingProtocol.carrierEventProblems(in);
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(
          status(Status.INVALID_ARGUMENT, String.join("; ", problems)));
    }
    long occurredAt =
        in.getOccurredAt().getSeconds() * 1000 + in.getOccurredAt().getNanos() / 1_000_000;
    return sharding
        .entityRefFor(ShipmentEntity.TYPE_KEY, in.getShipmentId())
        .<ShipmentEntity.Reply>ask(
            replyTo ->
                new ShipmentEntity.RecordCarrierEvent(
                    in.getCarrierEventId(),
                    ShippingProtocol.fromProto(in.getStatus()),
                    occurredAt,
                    replyTo),
            askTimeout)
        .exceptionally(
            failure -> {
              throw new CompletionException(unavailable(failure));
            })
        .thenApply(
            reply -> {
              if (reply instanceof ShipmentEntity.CarrierEventRecorded recorded) {
                if (recorded.outcome() == ShipmentEntity.Outcome.APPLIED) {
                  GrpcTrace.inMdc(
                      GrpcTrace.of(metadata),
                      () ->
                          log.info(
                              "Shipment {} is {} (carrier event {})",
                              in.getShipmentId(),
                              recorded.shipment().status(),
                              in.getCarrierEventId()));
                }
                return ShippingProtocol.toProto(recorded);
              }
              throw new CompletionException(failureOf((ShipmentEntity.Rejected) reply));
            });
  }

  /**
   * The request's address, else the latest one User sent for the customer; none known is
   * FAILED_PRECONDITION.
   */
  private CompletionStage<ShipmentEntity.Address> address(CreateShipmentRequest in) {
    if (in.hasAddress()) {
      return CompletableFuture.completedFuture(ShippingProtocol.fromProto(in.getAddress()));
    }
    return sharding
        .entityRefFor(CustomerAddressEntity.TYPE_KEY, in.getCustomerId())
        .ask(CustomerAddressEntity.Get::new, askTimeout)
        .exceptionally(
            failure -> {
              throw new CompletionException(unavailable(failure));
            })
        .thenApply(
            known ->
                known
                    .address()
                    .orElseThrow(
                        () ->
                            new CompletionException(
                                status(
                                    Status.FAILED_PRECONDITION,
                                    "no address known for customer "
                                        + in.getCustomerId()
                                        + " and none in the request"))));
  }

  private CompletionStage<ShipmentEntity.State> ask(
      String shipmentId,
      akka.japi.function.Function<ActorRef<ShipmentEntity.Reply>, ShipmentEntity.Command> command) {
    return sharding
        .entityRefFor(ShipmentEntity.TYPE_KEY, shipmentId)
        .ask(command, askTimeout)
        .exceptionally(
            failure -> {
              throw new CompletionException(unavailable(failure));
            })
        .thenApply(
            reply -> {
              if (reply instanceof ShipmentEntity.Rejected rejected) {
                throw new CompletionException(failureOf(rejected));
              }
              return ((ShipmentEntity.Accepted) reply).shipment();
            });
  }

  private static GrpcServiceException failureOf(ShipmentEntity.Rejected rejected) {
    Status status =
        switch (rejected.problem()) {
          case NOT_FOUND -> Status.NOT_FOUND;
          case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
          case INVALID_TRANSITION, PICKED_UP, CANCELLED -> Status.FAILED_PRECONDITION;
        };
    return status(status, rejected.message());
  }

  private static Throwable unavailable(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof TimeoutException
        ? status(Status.UNAVAILABLE, "the shipment did not answer in time")
        : cause;
  }

  private static GrpcServiceException status(Status status, String description) {
    return new GrpcServiceException(status.withDescription(description));
  }
}
