package dev.rampart.shipping;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.delivery.ShardingConsumerController;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.rampart.platform.CborSerializable;
import java.time.Duration;

/**
 * Books a carrier for one shipment. It is the consumer end of reliable delivery: {@link
 * CarrierBookingProducer} sends {@link Book} through a {@code ShardingProducerController} with a
 * durable queue, and this entity (behind a {@code ShardingConsumerController}, one per shipment)
 * confirms a delivery only after the shipment has recorded the booking, so a booking survives
 * crashes on either side. The {@link Carrier} books idempotently on the shipment id (the carrier
 * over HTTP, or the local fallback, a pure function of the shipment), which makes a redelivered
 * {@link Book} harmless; a carrier that fails or does not answer is asked again after {@link
 * #RETRY}, the delivery still unconfirmed. A booking of a shipment cancelled meanwhile is cancelled
 * at the carrier before the delivery is confirmed (retried until the carrier answers).
 */
public final class CarrierBooking {

  public static final EntityTypeKey<ConsumerController.SequencedMessage<Book>> TYPE_KEY =
      EntityTypeKey.create(ShardingConsumerController.entityTypeKeyClass(), "CarrierBooking");

  /** The reliably delivered message: book a carrier for this shipment. */
  public record Book(String shipmentId, String customerId, ShipmentEntity.Address address)
      implements CborSerializable {}

  /** The carrier's answer: who carries it and the tracking code. */
  public record Booking(String carrier, String trackingCode) {}

  /**
   * The "carrier API": deterministic, so booking the same shipment twice gives the same booking.
   */
  public static Booking book(Book request) {
    String carrier = "DE".equals(request.address().country()) ? "DHL" : "RAMPART-POST";
    String tracking =
        "RP" + String.format("%010d", Integer.toUnsignedLong(request.shipmentId().hashCode()));
    return new Booking(carrier, tracking);
  }

  sealed interface Command {}

  private record Delivered(ConsumerController.Delivery<Book> delivery) implements Command {}

  /** Time to ask the carrier (after {@code rampart.shipping.carrier-latency}). */
  private record AskCarrier(ConsumerController.Delivery<Book> delivery) implements Command {}

  /** The carrier answered: a booking, or a failure. */
  private record CarrierAnswered(
      ConsumerController.Delivery<Book> delivery, Booking booking, Throwable failure)
      implements Command {}

  /** Pause before asking a failed carrier or entity again. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** The shipment as it is before booking: a cancelled one is not booked. */
  private record Checked(
      ConsumerController.Delivery<Book> delivery, ShipmentEntity.Reply reply, Throwable failure)
      implements Command {}

  /** Cancel the booking of a cancelled shipment at the carrier. */
  private record CancelAtCarrier(ConsumerController.Delivery<Book> delivery) implements Command {}

  /** The carrier cancelled (or failed to cancel) the booking of a cancelled shipment. */
  private record CancelledAtCarrier(ConsumerController.Delivery<Book> delivery, Throwable failure)
      implements Command {}

  private record Recorded(
      ConsumerController.Delivery<Book> delivery, ShipmentEntity.Reply reply, Throwable failure)
      implements Command {}

  /**
   * The sharded entity: the consumer controller in front of the booking behaviour. The carrier
   * answers after {@code carrierLatency} (zero in production; tests slow it down to keep bookings
   * unconfirmed for a while).
   */
  public static Behavior<ConsumerController.SequencedMessage<Book>> entity(
      ClusterSharding sharding, Duration askTimeout, Duration carrierLatency, Carrier carrier) {
    return ShardingConsumerController.create(
        start -> create(start, sharding, askTimeout, carrierLatency, carrier));
  }

  static Behavior<Command> create(
      ActorRef<ConsumerController.Start<Book>> consumerController,
      ClusterSharding sharding,
      Duration askTimeout,
      Duration carrierLatency,
      Carrier carrier) {
    return Behaviors.setup(
        ctx -> {
          consumerController.tell(
              new ConsumerController.Start<>(
                  ctx.messageAdapter(ConsumerController.deliveryClass(), Delivered::new)));
          return Behaviors.withTimers(
              timers ->
                  Behaviors.receive(Command.class)
                      .onMessage(
                          Delivered.class,
                          m -> {
                            if (carrierLatency.isZero()) {
                              ctx.getSelf().tell(new AskCarrier(m.delivery()));
                            } else {
                              timers.startSingleTimer(new AskCarrier(m.delivery()), carrierLatency);
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          AskCarrier.class,
                          m -> {
                            ctx.pipeToSelf(
                                sharding
                                    .entityRefFor(
                                        ShipmentEntity.TYPE_KEY,
                                        m.delivery().message().shipmentId())
                                    .ask(ShipmentEntity.Get::new, askTimeout),
                                (reply, failure) -> new Checked(m.delivery(), reply, failure));
                            return Behaviors.same();
                          })
                      .onMessage(
                          Checked.class,
                          m -> {
                            if (m.reply() instanceof ShipmentEntity.Accepted accepted
                                && accepted.shipment().status()
                                    == ShipmentEntity.Status.CANCELLED) {
                              // cancelled before its booking was sent: never sent
                              ctx.getLog()
                                  .info(
                                      "Shipment {} cancelled before booking: not booked",
                                      m.delivery().message().shipmentId());
                              m.delivery().confirmTo().tell(ConsumerController.confirmed());
                              return Behaviors.same();
                            }
                            // otherwise (even unreadable now) book: a shipment cancelled
                            // meanwhile refuses the booking, which is then cancelled
                            ctx.pipeToSelf(
                                carrier.book(m.delivery().message()),
                                (booking, failure) ->
                                    new CarrierAnswered(m.delivery(), booking, failure));
                            return Behaviors.same();
                          })
                      .onMessage(
                          CarrierAnswered.class,
                          m -> {
                            Book request = m.delivery().message();
                            if (m.failure() != null) {
                              // not confirmed: the booking stays in the durable queue
                              ctx.getLog()
                                  .warn(
                                      "The carrier did not book {}, asking again: {}",
                                      request.shipmentId(),
                                      m.failure().toString());
                              timers.startSingleTimer(new AskCarrier(m.delivery()), RETRY);
                              return Behaviors.same();
                            }
                            Booking booking = m.booking();
                            ctx.pipeToSelf(
                                sharding
                                    .entityRefFor(ShipmentEntity.TYPE_KEY, request.shipmentId())
                                    .<ShipmentEntity.Reply>ask(
                                        replyTo ->
                                            new ShipmentEntity.MarkBooked(
                                                booking.carrier(), booking.trackingCode(), replyTo),
                                        askTimeout),
                                (reply, failure) -> new Recorded(m.delivery(), reply, failure));
                            return Behaviors.same();
                          })
                      .onMessage(
                          Recorded.class,
                          m -> {
                            if (m.failure() == null
                                && m.reply() instanceof ShipmentEntity.Rejected rejected
                                && rejected.problem() == ShipmentEntity.Problem.CANCELLED) {
                              // the order was cancelled while its parcel was being booked
                              ctx.getSelf().tell(new CancelAtCarrier(m.delivery()));
                            } else if (m.failure() == null) {
                              if (m.reply() instanceof ShipmentEntity.Rejected rejected) {
                                // Retrying cannot change the answer (unknown or differently booked
                                // shipment): log and move on.
                                ctx.getLog()
                                    .warn(
                                        "Booking of {} not recorded: {}",
                                        m.delivery().message().shipmentId(),
                                        rejected.message());
                              }
                              m.delivery().confirmTo().tell(ConsumerController.confirmed());
                            } else {
                              // Not confirmed: try again; the next delivery only comes after the
                              // confirmation.
                              ctx.getLog()
                                  .warn(
                                      "Recording the booking of {} failed, retrying: {}",
                                      m.delivery().message().shipmentId(),
                                      m.failure().toString());
                              timers.startSingleTimer(new AskCarrier(m.delivery()), RETRY);
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          CancelAtCarrier.class,
                          m -> {
                            ctx.pipeToSelf(
                                carrier.cancel(m.delivery().message().shipmentId()),
                                (done, failure) -> new CancelledAtCarrier(m.delivery(), failure));
                            return Behaviors.same();
                          })
                      .onMessage(
                          CancelledAtCarrier.class,
                          m -> {
                            String id = m.delivery().message().shipmentId();
                            if (m.failure() == null) {
                              ctx.getLog().info("Booking of cancelled shipment {} cancelled", id);
                              m.delivery().confirmTo().tell(ConsumerController.confirmed());
                            } else {
                              ctx.getLog()
                                  .warn(
                                      "The carrier did not cancel {}, asking again: {}",
                                      id,
                                      m.failure().toString());
                              timers.startSingleTimer(new CancelAtCarrier(m.delivery()), RETRY);
                            }
                            return Behaviors.same();
                          })
                      .build());
        });
  }

  private CarrierBooking() {}
}
