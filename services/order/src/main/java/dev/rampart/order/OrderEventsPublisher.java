package dev.rampart.order;

import akka.Done;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.javadsl.Handler;
import dev.rampart.contract.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Projection handler: publishes each order event to the internal topic ({@code OrderEvent}) and the
 * public feed for third parties ({@code rampart.public.v1.OrderFeedEvent}), key = order id. It
 * takes a group of envelopes, sends them all at once without blocking, and completes when Kafka
 * acknowledged every record; only then does the projection save the group's offset. A crash in
 * between republishes the group (at least once; consumers deduplicate on event_id) and nothing is
 * skipped. Records of one order keep their order: they share a partition, they are handed to the
 * Kafka producer in order on this thread (a raw producer: Alpakka's SendProducer hands each record
 * over on a dispatcher, in any order), and the idempotent producer keeps them in sequence through
 * retries. A record of an event that kept its request's trace carries it as the {@code traceparent}
 * header (a child span of the request's), so its consumers log under the same trace.
 */
final class OrderEventsPublisher extends Handler<List<EventEnvelope<OrderEntity.Event>>> {
  private final Producer<String, byte[]> producer;
  private final String eventsTopic;
  private final String publicTopic;
  private final Duration timeout;

  OrderEventsPublisher(
      Producer<String, byte[]> producer, String eventsTopic, String publicTopic, Duration timeout) {
    this.producer = producer;
    this.eventsTopic = eventsTopic;
    this.publicTopic = publicTopic;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<OrderEntity.Event>> envelopes) {
    List<CompletableFuture<?>> sends = new ArrayList<>(envelopes.size() * 2);
    for (EventEnvelope<OrderEntity.Event> envelope : envelopes) {
      OrderEntity.Event event = envelope.event();
      long seqNr = envelope.sequenceNr();
      var trace = TraceContext.parse(event.traceparent());
      sends.add(
          send(
              record(
                  eventsTopic,
                  event.orderId(),
                  OrderEventMessages.internal(event, seqNr).toByteArray(),
                  trace)));
      sends.add(
          send(
              record(
                  publicTopic,
                  event.orderId(),
                  OrderFeedEvents.of(event, seqNr).toByteArray(),
                  trace)));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(ignored -> Done.getInstance());
  }

  static ProducerRecord<String, byte[]> record(
      String topic, String key, byte[] value, java.util.Optional<TraceContext> trace) {
    var record = new ProducerRecord<>(topic, key, value);
    trace.ifPresent(
        t ->
            record
                .headers()
                .add(
                    TraceContext.TRACEPARENT, t.child().format().getBytes(StandardCharsets.UTF_8)));
    return record;
  }

  private CompletableFuture<?> send(ProducerRecord<String, byte[]> record) {
    var acked = new CompletableFuture<Void>();
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else {
            acked.complete(null);
          }
        });
    return acked;
  }
}
