package dev.rampart.order;

import akka.kafka.javadsl.SendProducer;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import dev.rampart.platform.JournalJdbcSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Projection handler: publishes each order event to the internal topic ({@code OrderEvent}) and the
 * public topic ({@code PublicOrderEvent}), key = order id, and returns only when Kafka acknowledged
 * both. The projection stores its offset in the same database transaction afterwards, so a crash in
 * between republishes (at least once; consumers deduplicate on event_id), and nothing is skipped.
 */
final class OrderEventsPublisher
    extends JdbcHandler<EventEnvelope<OrderEntity.Event>, JournalJdbcSession> {
  private final SendProducer<String, byte[]> producer;
  private final String eventsTopic;
  private final String publicTopic;
  private final Duration timeout;

  OrderEventsPublisher(
      SendProducer<String, byte[]> producer,
      String eventsTopic,
      String publicTopic,
      Duration timeout) {
    this.producer = producer;
    this.eventsTopic = eventsTopic;
    this.publicTopic = publicTopic;
    this.timeout = timeout;
  }

  @Override
  public void process(JournalJdbcSession session, EventEnvelope<OrderEntity.Event> envelope)
      throws Exception {
    OrderEntity.Event event = envelope.event();
    long seqNr = envelope.sequenceNr();
    CompletableFuture<?> internal =
        producer
            .send(
                new ProducerRecord<>(
                    eventsTopic,
                    event.orderId(),
                    OrderEventMessages.internal(event, seqNr).toByteArray()))
            .toCompletableFuture();
    CompletableFuture<?> publicView =
        producer
            .send(
                new ProducerRecord<>(
                    publicTopic,
                    event.orderId(),
                    OrderEventMessages.publicView(event, seqNr).toByteArray()))
            .toCompletableFuture();
    CompletableFuture.allOf(internal, publicView).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
