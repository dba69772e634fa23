package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.delivery.ShardingProducerController;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * This node's producer of carrier bookings: queues requests until its {@link
 * ShardingProducerController} asks for the next message, and hands each one over with confirmation.
 * The controller's queue is durable (an {@code EventSourcedProducerQueue}), so the requester's
 * {@link Done} means "stored in the journal": it will reach {@link CarrierBooking} even if this
 * node crashes right after.
 */
public final class CarrierBookingProducer {

  public sealed interface Command {}

  /** Replies {@link Done} once the booking is in the durable queue. */
  public record RequestBooking(CarrierBooking.Book book, ActorRef<Done> replyTo)
      implements Command {}

  private record Next(ShardingProducerController.RequestNext<CarrierBooking.Book> next)
      implements Command {}

  /**
   * Requests waiting for demand beyond this are dropped (the requester times out and may retry).
   */
  static final int MAX_PENDING = 10_000;

  public static Behavior<Command> create(
      ActorRef<ShardingProducerController.Command<CarrierBooking.Book>> controller) {
    return Behaviors.setup(
        ctx -> {
          controller.tell(
              new ShardingProducerController.Start<>(
                  ctx.messageAdapter(ShardingProducerController.requestNextClass(), Next::new)));
          return idle(new ArrayDeque<>());
        });
  }

  /** No demand: requests wait. */
  private static Behavior<Command> idle(Deque<RequestBooking> pending) {
    return Behaviors.receive(Command.class)
        .onMessage(
            RequestBooking.class,
            request -> {
              if (pending.size() < MAX_PENDING) {
                pending.add(request);
              }
              return Behaviors.same();
            })
        .onMessage(
            Next.class,
            m -> {
              if (pending.isEmpty()) {
                return ready(m.next(), pending);
              }
              send(m.next(), pending.poll());
              return Behaviors.same();
            })
        .build();
  }

  /** Demand and nothing to send: the next request goes out at once. */
  private static Behavior<Command> ready(
      ShardingProducerController.RequestNext<CarrierBooking.Book> next,
      Deque<RequestBooking> pending) {
    return Behaviors.receive(Command.class)
        .onMessage(
            RequestBooking.class,
            request -> {
              send(next, request);
              return idle(pending);
            })
        .onMessage(Next.class, m -> ready(m.next(), pending))
        .build();
  }

  private static void send(
      ShardingProducerController.RequestNext<CarrierBooking.Book> next, RequestBooking request) {
    next.askNextTo()
        .tell(
            new ShardingProducerController.MessageWithConfirmation<>(
                request.book().shipmentId(), request.book(), request.replyTo()));
  }

  private CarrierBookingProducer() {}
}
