package dev.rampart.user;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerMessage;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import com.google.protobuf.InvalidProtocolBufferException;
import com.typesafe.config.Config;
import dev.rampart.contract.TraceContext;
import dev.rampart.platform.GrpcTrace;
import dev.rampart.proto.events.v1.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code order-events} into the users' order histories, at least once: a record's offset
 * is committed only after its user entity has persisted it (or found it a duplicate), so a crash
 * redelivers and the entity's memory of event ids makes the redelivery a no-op. Each partition is
 * its own substream, so a slow partition holds up no other; within one, records of different
 * customers are applied concurrently (bounded), those of one customer one after the other, and
 * offsets move on in the partition's order. Offsets are committed in batches. A failure restarts
 * the consumer with backoff from the last committed offset.
 */
public final class OrderEventsConsumer {
  private static final Logger log = LoggerFactory.getLogger(OrderEventsConsumer.class);

  /**
   * Starts consuming; the returned switch stops it (also on coordinated shutdown of the system's
   * streams).
   */
  public static UniqueKillSwitch start(
      ActorSystem<?> system, ConsumerSettings<String, byte[]> consumerSettings) {
    Config config = system.settings().config().getConfig("rampart.user.order-events");
    String topic = config.getString("topic");
    int parallelism = config.getInt("parallelism");
    int maxPartitions = config.getInt("max-partitions");
    Duration askTimeout = system.settings().config().getDuration("rampart.user.ask-timeout");
    ClusterSharding sharding = ClusterSharding.get(system);
    CommitterSettings committerSettings = CommitterSettings.create(config.getConfig("committer"));
    RestartSettings restart =
        RestartSettings.create(
            config.getDuration("min-backoff"), config.getDuration("max-backoff"), 0.2);

    return RestartSource.onFailuresWithBackoff(
            restart,
            () ->
                Consumer.committablePartitionedSource(consumerSettings, Subscriptions.topics(topic))
                    .flatMapMerge(
                        maxPartitions,
                        partition ->
                            partition
                                .second()
                                .map(
                                    msg ->
                                        new Parsed(msg.committableOffset(), parse(msg), trace(msg)))
                                .mapAsyncPartitioned(
                                    parallelism,
                                    1, // one record of a customer at a time: their order is kept
                                    Parsed::customerId,
                                    (parsed, customer) ->
                                        record(sharding, askTimeout, parsed.event(), parsed.trace())
                                            .thenApply(done -> parsed.offset())))
                    // the batching committer (Committer.sink's stage), here inside the restart
                    .via(Committer.flow(committerSettings)))
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.left())
        .run(system);
  }

  /**
   * A record's offset, what it says (empty: unreadable, skipped) and the trace of the request that
   * caused it (its {@code traceparent} header).
   */
  private record Parsed(
      ConsumerMessage.Committable offset,
      Optional<ParsedEvent> event,
      Optional<TraceContext> trace) {
    String customerId() {
      return event.map(ParsedEvent::customerId).orElse("");
    }
  }

  private static Optional<ParsedEvent> parse(ConsumerMessage.CommittableMessage<String, byte[]> m) {
    return parse(m.record().value());
  }

  static Optional<TraceContext> trace(ConsumerMessage.CommittableMessage<String, byte[]> m) {
    var header = m.record().headers().lastHeader(TraceContext.TRACEPARENT);
    return header == null || header.value() == null
        ? Optional.empty()
        : TraceContext.parse(new String(header.value(), StandardCharsets.UTF_8));
  }

  /**
   * Applies one record to its user; completes when the entity has answered (applied, duplicate or
   * unknown).
   */
  static CompletionStage<Done> record(ClusterSharding sharding, Duration askTimeout, byte[] value) {
    return record(sharding, askTimeout, parse(value), Optional.empty());
  }

  private static CompletionStage<Done> record(
      ClusterSharding sharding,
      Duration askTimeout,
      Optional<ParsedEvent> parsed,
      Optional<TraceContext> trace) {
    if (parsed.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    ParsedEvent order = parsed.get();
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, order.customerId())
        .<UserEntity.Reply>ask(order::command, askTimeout)
        .thenApply(
            reply -> {
              GrpcTrace.inMdc(
                  trace,
                  () -> {
                    if (reply instanceof UserEntity.Rejected rejected) {
                      // Order validated the customer before placing, so this is data we cannot
                      // use: skip, do not block.
                      log.warn("Skipping order event {}: {}", order.eventId(), rejected.message());
                    } else if (order.status().equals("PLACED")) {
                      // one INFO line per order, under the trace of the request that placed it
                      log.info("Order {} recorded for its customer", order.orderId());
                    } else {
                      log.debug("Order event {} {} recorded", order.eventId(), order.status());
                    }
                  });
              return Done.getInstance();
            });
  }

  /** What the User side needs of one order event. */
  record ParsedEvent(
      String customerId,
      String eventId,
      String orderId,
      long sequenceNr,
      String status,
      long totalCents) {
    UserEntity.RecordOrder command(akka.actor.typed.ActorRef<UserEntity.Reply> replyTo) {
      return new UserEntity.RecordOrder(eventId, orderId, sequenceNr, status, totalCents, replyTo);
    }
  }

  /** A record we cannot read is logged and skipped: retrying would never succeed. */
  static Optional<ParsedEvent> parse(byte[] value) {
    try {
      OrderEvent event = OrderEvent.parseFrom(value == null ? new byte[0] : value);
      if (event.getEventId().isEmpty()
          || event.getOrderId().isEmpty()
          || event.getCustomerId().isEmpty()) {
        log.warn("Skipping order event without event_id, order_id or customer_id: {}", event);
        return Optional.empty();
      }
      String status =
          switch (event.getEventCase()) {
            case PLACED -> "PLACED";
            case CONFIRMED -> "CONFIRMED";
            case REJECTED -> "REJECTED";
            case CANCELLED -> "CANCELLED";
            case SHIPPED -> "SHIPPED";
            case DELIVERED -> "DELIVERED";
            case EVENT_NOT_SET -> null;
          };
      if (status == null) {
        log.warn("Skipping order event {} of unknown kind", event.getEventId());
        return Optional.empty();
      }
      long total = event.hasPlaced() ? event.getPlaced().getTotalCents() : 0;
      return Optional.of(
          new ParsedEvent(
              event.getCustomerId(),
              event.getEventId(),
              event.getOrderId(),
              event.getSequenceNr(),
              status,
              total));
    } catch (InvalidProtocolBufferException e) {
      log.warn("Skipping an order-events record that is not an OrderEvent: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private OrderEventsConsumer() {}
}
