package dev.rampart.shipping;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.Handler;
import akka.projection.jdbc.javadsl.JdbcProjection;
import dev.rampart.platform.JournalJdbcSession;
import dev.rampart.platform.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes every shipment event to {@code shipment-events} (key = shipment id), as Order publishes
 * {@code order-events}: one projection per slice tag ({@link ShipmentEntity#TAGS}) spread over the
 * cluster, groups of envelopes sent without blocking, the group's offset saved only once Kafka
 * acknowledged all of it (at least once; consumers deduplicate on event_id). Records of one
 * shipment share a partition and are handed to the idempotent producer in order on this thread.
 */
final class ShipmentEventsPublisher extends Handler<List<EventEnvelope<ShipmentEntity.Event>>> {
  static final String NAME = "shipment-events-publisher";
  static final int GROUP_SIZE = 100;
  static final Duration GROUP_WINDOW = Duration.ofMillis(10);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Duration timeout;

  ShipmentEventsPublisher(Producer<String, byte[]> producer, String topic, Duration timeout) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
  }

  static void start(ActorSystem<?> system, KafkaSettings kafka) {
    var config = system.settings().config();
    Producer<String, byte[]> producer =
        kafka
            .producerSettings(system, new StringSerializer(), new ByteArraySerializer())
            .createKafkaProducer();
    String topic = config.getString("rampart.shipping.topics.events");
    Duration timeout = config.getDuration("rampart.shipping.publish-timeout");
    var sessions = JournalJdbcSession.factory(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            ShipmentEntity.TAGS.size(),
            i ->
                ProjectionBehavior.create(
                    JdbcProjection.groupedWithinAsync(
                            ProjectionId.of(NAME, ShipmentEntity.TAGS.get(i)),
                            EventSourcedProvider.<ShipmentEntity.Event>eventsByTag(
                                system, JdbcReadJournal.Identifier(), ShipmentEntity.TAGS.get(i)),
                            sessions,
                            () -> new ShipmentEventsPublisher(producer, topic, timeout),
                            system)
                        .withGroup(GROUP_SIZE, GROUP_WINDOW)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
    system.classicSystem().registerOnTermination((Runnable) producer::close);
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<ShipmentEntity.Event>> envelopes) {
    List<CompletableFuture<?>> sends = new ArrayList<>(envelopes.size());
    for (EventEnvelope<ShipmentEntity.Event> envelope : envelopes) {
      var message = ShipmentEvents.of(envelope.event(), envelope.sequenceNr());
      var acked = new CompletableFuture<Void>();
      producer.send(
          new ProducerRecord<>(topic, message.getShipmentId(), message.toByteArray()),
          (metadata, error) -> {
            if (error != null) {
              acked.completeExceptionally(error);
            } else {
              acked.complete(null);
            }
          });
      sends.add(acked);
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(ignored -> Done.getInstance());
  }
}
