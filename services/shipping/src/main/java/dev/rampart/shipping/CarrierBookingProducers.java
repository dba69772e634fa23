package dev.rampart.shipping;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.delivery.ShardingProducerController;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.delivery.EventSourcedProducerQueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The carrier-booking producers of the whole cluster: a fixed set of {@link #COUNT} producer ids
 * ({@code carrier-booking-0} ...), each run once in the cluster by ShardedDaemonProcess. A producer
 * id names its durable queue, so when the pod running it goes away, the producer starts on another
 * node under the same id and resends what was queued but not confirmed (with a pod-name id it never
 * came back). Each instance supervises its controller and producer: if either stops, the instance
 * restarts with backoff. Requests reach any registered producer through a group router.
 */
final class CarrierBookingProducers {
  /** Never change it on a running system: a removed id's queue would never be read again. */
  static final int COUNT = 4;

  static final ServiceKey<CarrierBookingProducer.Command> KEY =
      ServiceKey.create(CarrierBookingProducer.Command.class, "carrier-booking-producer");

  private CarrierBookingProducers() {}

  static String producerId(int instance) {
    return "carrier-booking-" + instance;
  }

  /** Starts this node's share of the producers and returns this node's front to all of them. */
  static ActorRef<CarrierBookingProducer.Command> start(
      ActorSystem<?> system,
      ActorRef<ShardingEnvelope<ConsumerController.SequencedMessage<CarrierBooking.Book>>> region,
      CarrierBookingProducer.Buffer buffer) {
    ShardedDaemonProcess.get(system)
        .init(
            Void.class,
            "carrier-booking-producers",
            COUNT,
            i -> supervised(producerId(i), region, buffer));
    return system.systemActorOf(front(), "carrier-booking-front", Props.empty());
  }

  /** Requests waiting for the first producer to register (at start-up) beyond this are dropped. */
  static final int FRONT_BUFFER = 1_000;

  /**
   * Hands each request to the next registered producer, round-robin, preferring this node's own;
   * while none is registered yet (the daemon processes start a few seconds after the cluster forms)
   * requests wait.
   */
  static Behavior<CarrierBookingProducer.Command> front() {
    return Behaviors.setup(
        ctx -> {
          ActorRef<Receptionist.Listing> listings =
              ctx.messageAdapter(
                  Receptionist.Listing.class,
                  listing ->
                      new CarrierBookingProducer.Producers(
                          List.copyOf(listing.getServiceInstances(KEY))));
          ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY, listings));
          return Behaviors.withStash(FRONT_BUFFER, stash -> routing(List.of(), stash));
        });
  }

  private static Behavior<CarrierBookingProducer.Command> routing(
      List<ActorRef<CarrierBookingProducer.Command>> producers,
      StashBuffer<CarrierBookingProducer.Command> stash) {
    int[] next = {0};
    return Behaviors.receive(CarrierBookingProducer.Command.class)
        .onMessage(
            CarrierBookingProducer.Producers.class,
            m -> {
              // this node's own producers first: no hop, and a request cannot be lost in
              // flight to a node that is leaving; the others when this node has none
              var local = m.all().stream().filter(p -> p.path().address().hasLocalScope()).toList();
              var updated = routing(local.isEmpty() ? m.all() : local, stash);
              return m.all().isEmpty() ? updated : stash.unstashAll(updated);
            })
        .onMessage(
            CarrierBookingProducer.RequestBooking.class,
            request -> {
              if (producers.isEmpty()) {
                if (!stash.isFull()) {
                  stash.stash(request);
                }
              } else {
                producers.get(Math.floorMod(next[0]++, producers.size())).tell(request);
              }
              return Behaviors.same();
            })
        .build();
  }

  static Behavior<Void> supervised(
      String producerId,
      ActorRef<ShardingEnvelope<ConsumerController.SequencedMessage<CarrierBooking.Book>>> region,
      CarrierBookingProducer.Buffer buffer) {
    return Behaviors.supervise(instance(producerId, region, buffer))
        .onFailure(
            SupervisorStrategy.restartWithBackoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)
                .withResetBackoffAfter(Duration.ofMinutes(1)));
  }

  /** One producer id: its controller with the durable queue, and the producer feeding it. */
  private static Behavior<Void> instance(
      String producerId,
      ActorRef<ShardingEnvelope<ConsumerController.SequencedMessage<CarrierBooking.Book>>> region,
      CarrierBookingProducer.Buffer buffer) {
    return Behaviors.setup(
        ctx -> {
          var controller =
              ctx.spawn(
                  ShardingProducerController.create(
                      CarrierBooking.Book.class,
                      producerId,
                      region,
                      Optional.of(
                          EventSourcedProducerQueue.create(
                              PersistenceId.ofUniqueId("carrier-booking-queue-" + producerId)))),
                  "controller");
          var producer = ctx.spawn(CarrierBookingProducer.create(controller, buffer), "producer");
          // either one stopping is a DeathPactException here: the supervisor restarts both
          ctx.watch(controller);
          ctx.watch(producer);
          ctx.getSystem().receptionist().tell(Receptionist.register(KEY, producer));
          return Behaviors.empty();
        });
  }
}
