package dev.rampart.order;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.kafka.ConsumerSettings;
import akka.pattern.StatusReply;
import akka.stream.UniqueKillSwitch;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rampart.platform.KafkaSettings;
import dev.rampart.platform.PartitionedKafkaConsumer;
import dev.rampart.proto.events.v1.ShipmentEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes Shipping's {@code shipment-events} into the orders, at least once, as User consumes
 * {@code order-events}: a record's offset is committed only after its order has answered, each
 * partition is its own substream, one order's records are applied one after the other, offsets are
 * committed in batches, a failure (an order not answering in time) restarts the consumer with
 * backoff from the last committed offset.
 *
 * <p>The carrier's pickup ({@code IN_TRANSIT}, or a later status reported first) makes the order
 * SHIPPED if it is not yet, {@code DELIVERED} makes it DELIVERED. Idempotent by the order's own
 * state: a redelivered or late record asks for a status the order already has or is past, which the
 * order answers without persisting anything; that answer (or any refusal, e.g. a cancelled order)
 * is logged and the record skipped.
 */
final class ShipmentEventsConsumer {
  private static final Logger log = LoggerFactory.getLogger(ShipmentEventsConsumer.class);

  static UniqueKillSwitch start(ActorSystem<?> system, KafkaSettings kafka) {
    return start(
        system,
        kafka.consumerSettings(
            system,
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            system.settings().config().getString("rampart.order.shipment-events.group-id")));
  }

  static UniqueKillSwitch start(
      ActorSystem<?> system, ConsumerSettings<String, byte[]> consumerSettings) {
    Duration askTimeout = system.settings().config().getDuration("rampart.order.ask-timeout");
    ClusterSharding sharding = ClusterSharding.get(system);
    return PartitionedKafkaConsumer.start(
        system,
        consumerSettings,
        system.settings().config().getConfig("rampart.order.shipment-events"),
        new PartitionedKafkaConsumer.Handler<Keyed>() {
          @Override
          public Keyed parse(ConsumerRecord<String, byte[]> record) {
            return new Keyed(
                record.key() == null ? "" : record.key(),
                ShipmentEventsConsumer.parse(record.value()));
          }

          @Override
          public String key(Keyed keyed) {
            return keyed.key(); // the order: one order's records one after the other
          }

          @Override
          public CompletionStage<Done> handle(Keyed keyed) {
            return apply(sharding, askTimeout, keyed.event());
          }
        });
  }

  /** A record's key (the order id) and what it says (empty: unreadable, skipped). */
  private record Keyed(String key, Optional<ShipmentEvent> event) {}

  /** A record we cannot read is logged and skipped: retrying would never succeed. */
  static Optional<ShipmentEvent> parse(byte[] value) {
    try {
      ShipmentEvent event = ShipmentEvent.parseFrom(value == null ? new byte[0] : value);
      if (event.getOrderId().isEmpty() || event.getShipmentId().isEmpty()) {
        log.warn("Skipping shipment event without order_id or shipment_id: {}", event);
        return Optional.empty();
      }
      return Optional.of(event);
    } catch (InvalidProtocolBufferException e) {
      log.warn("Skipping a shipment-events record that is not a ShipmentEvent: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Applies one shipment event to its order; completes when the order has answered. */
  static CompletionStage<Done> apply(
      ClusterSharding sharding, Duration askTimeout, Optional<ShipmentEvent> parsed) {
    if (parsed.isEmpty()) {
      return done();
    }
    ShipmentEvent event = parsed.get();
    var order = sharding.entityRefFor(OrderEntity.TYPE_KEY, event.getOrderId());
    java.util.function.Supplier<CompletionStage<Done>> shipped =
        () ->
            tolerant(
                event,
                order.askWithStatus(
                    r -> new OrderEntity.MarkShipped(event.getShipmentId(), r), askTimeout));
    return switch (event.getStatus()) {
      case SHIPMENT_STATUS_IN_TRANSIT, SHIPMENT_STATUS_OUT_FOR_DELIVERY -> shipped.get();
      case SHIPMENT_STATUS_DELIVERED ->
          // SHIPPED first if the order is not yet (the pickup may not have been applied); refused
          // when it is past SHIPPED already, which is fine
          shipped
              .get()
              .thenCompose(
                  ignored ->
                      tolerant(
                          event,
                          order.<OrderEntity.Summary>askWithStatus(
                              OrderEntity.MarkDelivered::new, askTimeout)));
      default -> done(); // created, booked, exception: nothing changes for the order
    };
  }

  /** The order's refusal ends the record (logged); a timeout fails it, to be retried. */
  private static CompletionStage<Done> tolerant(
      ShipmentEvent event, CompletionStage<OrderEntity.Summary> ask) {
    return ask.handle(
        (summary, error) -> {
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          if (cause == null) {
            log.debug("Order {} is {} after {}", event.getOrderId(), summary.status(), event);
          } else if (cause instanceof StatusReply.ErrorMessage refused) {
            log.debug(
                "Order {} unchanged by shipment event {}: {}",
                event.getOrderId(),
                event.getEventId(),
                refused.getMessage());
          } else {
            throw new CompletionException(cause);
          }
          return Done.getInstance();
        });
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private ShipmentEventsConsumer() {}
}
