package dev.rampart.order;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.Offset;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.SourceProvider;
import akka.projection.jdbc.javadsl.JdbcProjection;
import dev.rampart.platform.JournalJdbcSession;
import dev.rampart.platform.KafkaSettings;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The order event projections, one instance per event tag spread over the cluster
 * (ShardedDaemonProcess), offsets in the journal database.
 */
final class OrderProjections {
  static final String KAFKA_PUBLISHER = "order-events-publisher";
  static final String SHIPMENTS = "order-shipments";

  /**
   * A publishing group: up to this many envelopes, or what arrived within the window after the
   * first one. One offset save per group, one wait for Kafka per group, no journal connection held
   * meanwhile.
   */
  static final int PUBLISH_GROUP_SIZE = 500;

  static final Duration PUBLISH_GROUP_WINDOW = Duration.ofMillis(10);

  /**
   * Publishes every order event to Kafka, asynchronously and in groups (at least once; the offset
   * is saved after Kafka acknowledged the group).
   */
  static void startKafkaPublisher(ActorSystem<?> system, KafkaSettings kafka) {
    var config = system.settings().config();
    Producer<String, byte[]> producer =
        kafka
            .producerSettings(system, new StringSerializer(), new ByteArraySerializer())
            .createKafkaProducer();
    String eventsTopic = config.getString("rampart.order.topics.events");
    String publicTopic = config.getString("rampart.order.topics.public");
    Duration timeout = config.getDuration("rampart.order.publish-timeout");
    var sessions = JournalJdbcSession.factory(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            KAFKA_PUBLISHER,
            OrderEntity.TAGS.size(),
            i ->
                ProjectionBehavior.create(
                    JdbcProjection.groupedWithinAsync(
                            ProjectionId.of(KAFKA_PUBLISHER, OrderEntity.TAGS.get(i)),
                            source(system, OrderEntity.TAGS.get(i)),
                            sessions,
                            () ->
                                new OrderEventsPublisher(
                                    producer, eventsTopic, publicTopic, timeout),
                            system)
                        .withGroup(PUBLISH_GROUP_SIZE, PUBLISH_GROUP_WINDOW)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
    system.classicSystem().registerOnTermination((Runnable) producer::close);
  }

  /**
   * The shipment projection saves its offset after this many envelopes or this long after the first
   * unsaved one (was after every envelope: one offset transaction per event, three per order). A
   * restart redoes at most that many, which CreateShipment and MarkShipped make no-ops.
   */
  static final int SHIPMENT_OFFSET_SAVE_AFTER = 100;

  static final Duration SHIPMENT_OFFSET_SAVE_WITHIN = Duration.ofMillis(500);

  /**
   * Creates the shipment of every confirmed order (at least once; CreateShipment is idempotent).
   * {@code hearsShipmentEvents}: this node consumes shipment-events, so an order whose carrier
   * reports progress is SHIPPED on the carrier's pickup, not at creation ({@link
   * ShipmentCreation}).
   */
  static void startShipmentCreation(
      ActorSystem<?> system, ShippingServiceClient shipping, boolean hearsShipmentEvents) {
    var sessions = JournalJdbcSession.factory(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            SHIPMENTS,
            OrderEntity.TAGS.size(),
            i ->
                ProjectionBehavior.create(
                    JdbcProjection.atLeastOnceAsync(
                            ProjectionId.of(SHIPMENTS, OrderEntity.TAGS.get(i)),
                            source(system, OrderEntity.TAGS.get(i)),
                            sessions,
                            () -> new ShipmentCreation(system, shipping, hearsShipmentEvents),
                            system)
                        .withSaveOffset(SHIPMENT_OFFSET_SAVE_AFTER, SHIPMENT_OFFSET_SAVE_WITHIN)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static SourceProvider<Offset, EventEnvelope<OrderEntity.Event>> source(
      ActorSystem<?> system, String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }

  private OrderProjections() {}
}
