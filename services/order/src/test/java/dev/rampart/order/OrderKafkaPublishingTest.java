package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.publicfeed.v1.DeliveryMilestone;
import dev.rampart.proto.publicfeed.v1.OrderFeedEvent;
import dev.rampart.proto.publicfeed.v1.OrderStatus;
import dev.rampart.testing.kafka.KafkaBroker;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The projection publishes each order event to the real Kafka broker: the internal OrderEvent (key
 * = order id, event_id = "<orderId>:<seqNr>") and the public feed's PII-free OrderFeedEvent; read
 * back with a plain consumer.
 */
class OrderKafkaPublishingTest {

  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void everyOrderEventReachesBothTopicsKeyedByOrderId() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic("order-events", 4);
    kafka.createTopic("order-events-public", 4);
    try (TestDatabase db = Postgres.shared().createDatabase("order_kafka");
        PeerServers peers = new PeerServers("alice");
        OrderNodes nodes =
            OrderNodes.start(
                1, db, peers, Map.of(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers()))) {
      call(
          nodes
              .node(0)
              .client()
              .placeOrder()
              .addHeader("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01")
              .invoke(order("k-1", "alice", line("book", 2, 1250), line("pen", 1, 99))));

      // placed, confirmed, shipped (the shipment projection marks it once Shipping created the
      // shipment)
      List<ConsumerRecord<String, byte[]>> internal = readAtLeast(kafka, "order-events", "k-1", 3);
      List<OrderEvent> events = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : internal) {
        assertThat(r.key()).isEqualTo("k-1");
        events.add(OrderEvent.parseFrom(r.value()));
      }
      assertThat(events).extracting(OrderEvent::getEventId).startsWith("k-1:1", "k-1:2", "k-1:3");
      assertThat(events).allSatisfy(e -> assertThat(e.getCustomerId()).isEqualTo("alice"));
      assertThat(events.get(0).getEventCase()).isEqualTo(OrderEvent.EventCase.PLACED);
      assertThat(events.get(0).getPlaced().getTotalCents()).isEqualTo(2599);
      assertThat(events.get(0).getPlaced().getLinesCount()).isEqualTo(2);
      assertThat(events.get(1).getEventCase()).isEqualTo(OrderEvent.EventCase.CONFIRMED);
      assertThat(events.get(2).getEventCase()).isEqualTo(OrderEvent.EventCase.SHIPPED);
      assertThat(events.get(2).getShipped().getShipmentId()).isEqualTo("k-1");
      // the placing request's trace travels on the records of the events it caused
      for (ConsumerRecord<String, byte[]> r : internal.subList(0, 2)) {
        var header = r.headers().lastHeader("traceparent");
        assertThat(header).as(r.toString()).isNotNull();
        assertThat(new String(header.value(), java.nio.charset.StandardCharsets.UTF_8))
            .startsWith("00-" + TRACE_ID + "-")
            .doesNotContain("b7ad6b7169203331");
      }

      List<OrderFeedEvent> publicEvents = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : readAtLeast(kafka, "order-events-public", "k-1", 3)) {
        assertThat(r.key()).isEqualTo("k-1");
        assertThat(new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("alice");
        publicEvents.add(OrderFeedEvent.parseFrom(r.value()));
      }
      assertThat(publicEvents)
          .extracting(OrderFeedEvent::getStatus)
          .startsWith(
              OrderStatus.ORDER_STATUS_PLACED,
              OrderStatus.ORDER_STATUS_CONFIRMED,
              OrderStatus.ORDER_STATUS_SHIPPED);
      assertThat(publicEvents).allSatisfy(e -> assertThat(e.getItemCount()).isEqualTo(3));
      assertThat(publicEvents).extracting(OrderFeedEvent::getSequence).startsWith(1L, 2L, 3L);
      assertThat(publicEvents.get(0).getEventId()).isEqualTo("k-1:1");
      assertThat(publicEvents.get(0).getOccurredAt().getSeconds()).isPositive();
      assertThat(publicEvents.get(0).hasDelivery()).isFalse();
      assertThat(publicEvents.get(2).getDelivery().getMilestone())
          .isEqualTo(DeliveryMilestone.DELIVERY_MILESTONE_SHIPPED);
      assertThat(publicEvents.get(2).getDelivery().getShipmentId()).isEqualTo("k-1");
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readAtLeast(
      KafkaBroker kafka, String topic, String key, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "order-test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> result = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (result.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(r.key())) {
            result.add(r);
          }
        }
      }
    }
    assertThat(result).as("records with key %s on %s", key, topic).hasSizeGreaterThanOrEqualTo(n);
    return result;
  }
}
