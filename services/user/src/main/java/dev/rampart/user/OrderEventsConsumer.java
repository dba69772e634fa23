package dev.rampart.user;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.kafka.ConsumerSettings;
import akka.stream.UniqueKillSwitch;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rampart.contract.TraceContext;
import dev.rampart.platform.GrpcTrace;
import dev.rampart.platform.PartitionedKafkaConsumer;
import dev.rampart.proto.events.v1.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code order-events} into the users' {@link UserFeed}s with the platform's {@link
 * PartitionedKafkaConsumer}, at least once: a record's offset is committed only after its user's
 * feed has persisted it (or found it applied before: per order, the highest sequence number, see
 * {@link AppliedOrderEvents}), so a crash redelivers and the redelivery is a no-op. Records of one
 * customer are applied one after the other, different customers' concurrently.
 */
public final class OrderEventsConsumer {
  private static final Logger log = LoggerFactory.getLogger(OrderEventsConsumer.class);

  /**
   * Starts consuming; the returned switch stops it (also on coordinated shutdown of the system's
   * streams).
   */
  public static UniqueKillSwitch start(
      ActorSystem<?> system, ConsumerSettings<String, byte[]> consumerSettings) {
    Duration askTimeout = system.settings().config().getDuration("rampart.user.ask-timeout");
    ClusterSharding sharding = ClusterSharding.get(system);
    return PartitionedKafkaConsumer.start(
        system,
        consumerSettings,
        system.settings().config().getConfig("rampart.user.order-events"),
        new PartitionedKafkaConsumer.Handler<Parsed>() {
          @Override
          public Parsed parse(ConsumerRecord<String, byte[]> record) {
            return new Parsed(OrderEventsConsumer.parse(record.value()), trace(record));
          }

          @Override
          public String key(Parsed parsed) {
            return parsed.customerId(); // one customer's records one after the other
          }

          @Override
          public CompletionStage<Done> handle(Parsed parsed) {
            return record(sharding, askTimeout, parsed.event(), parsed.trace());
          }
        });
  }

  /**
   * What a record says (empty: unreadable, skipped) and the trace of the request that caused it
   * (its {@code traceparent} header).
   */
  private record Parsed(Optional<ParsedEvent> event, Optional<TraceContext> trace) {
    String customerId() {
      return event.map(ParsedEvent::customerId).orElse("");
    }
  }

  static Optional<TraceContext> trace(ConsumerRecord<String, byte[]> record) {
    var header = record.headers().lastHeader(TraceContext.TRACEPARENT);
    return header == null || header.value() == null
        ? Optional.empty()
        : TraceContext.parse(new String(header.value(), StandardCharsets.UTF_8));
  }

  /**
   * Applies one record to its user; completes when the feed has answered (applied, duplicate or
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
        .entityRefFor(UserFeed.TYPE_KEY, order.customerId())
        .<UserFeed.Reply>ask(order::command, askTimeout)
        .thenApply(
            reply -> {
              GrpcTrace.inMdc(
                  trace,
                  () -> {
                    if (reply instanceof UserFeed.Rejected rejected) {
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
      long totalCents,
      long atEpochMillis) {
    UserFeed.RecordOrder command(akka.actor.typed.ActorRef<UserFeed.Reply> replyTo) {
      return new UserFeed.RecordOrder(
          eventId, orderId, sequenceNr, status, totalCents, atEpochMillis, replyTo);
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
              total,
              event.getAtEpochMillis()));
    } catch (InvalidProtocolBufferException e) {
      log.warn("Skipping an order-events record that is not an OrderEvent: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private OrderEventsConsumer() {}
}
