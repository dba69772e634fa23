package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.delivery.ShardingProducerController;
import dev.rampart.platform.CborSerializable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's producer of carrier bookings: queues requests until its {@link
 * ShardingProducerController} asks for the next message, and hands each one over with confirmation.
 * The controller's queue is durable (an {@code EventSourcedProducerQueue}), so the requester's
 * {@link Done} means "stored in the journal": it will reach {@link CarrierBooking} even if this
 * node crashes right after.
 */
public final class CarrierBookingProducer {

  public sealed interface Command extends CborSerializable {}

  /**
   * What the producers of this node hold and drop, exported as metrics: a full buffer is visible,
   * never a silent loss.
   */
  public record Buffer(AtomicInteger pending, Counter dropped) {
    static Buffer registeredIn(MeterRegistry registry) {
      var pending = registry.gauge("rampart.shipping.bookings.pending", new AtomicInteger());
      return new Buffer(
          pending,
          Counter.builder("rampart.shipping.bookings.dropped")
              .description("booking requests dropped because the producer's buffer was full")
              .register(registry));
    }
  }

  /** Replies {@link Done} once the booking is in the durable queue. */
  public record RequestBooking(CarrierBooking.Book book, ActorRef<Done> replyTo)
      implements Command {}

  private record Next(ShardingProducerController.RequestNext<CarrierBooking.Book> next)
      implements Command {}

  /** For the node's front ({@link CarrierBookingProducers#front}): the producers registered now. */
  record Producers(List<ActorRef<Command>> all) implements Command {}

  /**
   * Requests waiting for demand beyond this are dropped and counted in {@code
   * rampart.shipping.bookings.dropped} (the requester times out and may retry).
   */
  static final int MAX_PENDING = 10_000;

  public static Behavior<Command> create(
      ActorRef<ShardingProducerController.Command<CarrierBooking.Book>> controller, Buffer buffer) {
    return Behaviors.setup(
        ctx -> {
          controller.tell(
              new ShardingProducerController.Start<>(
                  ctx.messageAdapter(ShardingProducerController.requestNextClass(), Next::new)));
          return idle(new ArrayDeque<>(), buffer);
        });
  }

  /** No demand: requests wait. */
  private static Behavior<Command> idle(Deque<RequestBooking> pending, Buffer buffer) {
    return Behaviors.receive(Command.class)
        .onMessage(
            RequestBooking.class,
            request -> {
              if (pending.size() < MAX_PENDING) {
                pending.add(request);
                buffer.pending().incrementAndGet();
              } else {
                buffer.dropped().increment();
              }
              return Behaviors.same();
            })
        .onMessage(
            Next.class,
            m -> {
              if (pending.isEmpty()) {
                return ready(m.next(), pending, buffer);
              }
              buffer.pending().decrementAndGet();
              send(m.next(), pending.poll());
              return Behaviors.same();
            })
        .onSignal(PostStop.class, stop -> forget(pending, buffer))
        .build();
  }

  /** Demand and nothing to send: the next request goes out at once. */
  private static Behavior<Command> ready(
      ShardingProducerController.RequestNext<CarrierBooking.Book> next,
      Deque<RequestBooking> pending,
      Buffer buffer) {
    return Behaviors.receive(Command.class)
        .onMessage(
            RequestBooking.class,
            request -> {
              send(next, request);
              return idle(pending, buffer);
            })
        .onMessage(Next.class, m -> ready(m.next(), pending, buffer))
        .onSignal(PostStop.class, stop -> forget(pending, buffer))
        .build();
  }

  /** A stopped producer's unsent requests are gone: their requesters time out and may retry. */
  private static Behavior<Command> forget(Deque<RequestBooking> pending, Buffer buffer) {
    buffer.pending().addAndGet(-pending.size());
    pending.clear();
    return Behaviors.same();
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
