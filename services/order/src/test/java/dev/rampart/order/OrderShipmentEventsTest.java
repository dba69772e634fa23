package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.events.v1.ShipmentEvent;
import dev.rampart.proto.events.v1.ShipmentStatus;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.order.v1.OrderStatus;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Order consumes Shipping's {@code shipment-events} from the real broker (records as Shipping
 * publishes them, written by a plain producer): the carrier's pickup makes an order SHIPPED if it
 * is not yet, delivery makes it DELIVERED, and redelivered, late or foreign records change nothing:
 * the order journals one Delivered, read back from {@code order-events}; none of them holds up the
 * records behind it (all are sent to one partition).
 */
class OrderShipmentEventsTest {

  @Test
  void pickupShipsAndDeliveryDeliversAnOrderOnceWhateverTheCarrierRepeats() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic("order-events", 4);
    kafka.createTopic("order-events-public", 4);
    kafka.createTopic("shipment-events", 4);
    try (TestDatabase db = Postgres.shared().createDatabase("order_shipment_events");
        PeerServers peers = new PeerServers("alice", "bob", "carol");
        OrderNodes nodes =
            OrderNodes.start(
                1, db, peers, Map.of(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
        KafkaProducer<String, byte[]> producer = producer(kafka)) {
      OrderServiceClient client = nodes.node(0).client();
      // bob's shipment creation keeps failing: the order stays CONFIRMED until the carrier's pickup
      peers.shippingDownFor.add("bob");
      String tag = UUID.randomUUID().toString().substring(0, 8);
      String shipped = "se-a-" + tag;
      String confirmed = "se-b-" + tag;
      call(client.placeOrder().invoke(order(shipped, "alice", line("book", 1, 100))));
      call(client.placeOrder().invoke(order(confirmed, "bob", line("pen", 2, 50))));
      awaitStatus(client, shipped, OrderStatus.ORDER_STATUS_SHIPPED);
      assertThat(status(client, confirmed)).isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);

      // carol's carrier reports progress: her order is SHIPPED on the pickup, not at creation
      peers.carrierReportsFor.add("carol");
      String tracked = "se-c-" + tag;
      call(client.placeOrder().invoke(order(tracked, "carol", line("cup", 1, 900))));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> peers.shipmentRequests.stream().anyMatch(r -> r.getOrderId().equals(tracked)));
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(status(client, tracked))
                      .isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED));
      send(producer, event(tracked, 2, ShipmentStatus.SHIPMENT_STATUS_BOOKED));
      send(producer, event(tracked, 3, ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT));
      awaitStatus(client, tracked, OrderStatus.ORDER_STATUS_SHIPPED);

      // booked: nothing changes for the order
      send(producer, event(confirmed, 2, ShipmentStatus.SHIPMENT_STATUS_BOOKED));
      send(producer, event(confirmed, 3, ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT));
      awaitStatus(client, confirmed, OrderStatus.ORDER_STATUS_SHIPPED);

      // delivered, delivered again (redelivery), then a late pickup
      send(producer, event(shipped, 4, ShipmentStatus.SHIPMENT_STATUS_DELIVERED));
      send(producer, event(shipped, 4, ShipmentStatus.SHIPMENT_STATUS_DELIVERED));
      send(producer, event(shipped, 3, ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT));
      // garbage and a refused record (an order never placed) under the other order's key, ahead of
      // its delivery: one order's records are applied one at a time, so each must be skipped for
      // the delivery behind them to get through
      producer.send(new ProducerRecord<>("shipment-events", confirmed, new byte[] {1, 2, 3})).get();
      send(
          producer,
          confirmed,
          event("never-placed-" + tag, 3, ShipmentStatus.SHIPMENT_STATUS_DELIVERED));
      send(producer, event(confirmed, 5, ShipmentStatus.SHIPMENT_STATUS_DELIVERED));
      awaitStatus(client, confirmed, OrderStatus.ORDER_STATUS_DELIVERED);
      // records of one key are applied in order: the shipped order's records are all done by now
      assertThat(status(client, shipped)).isEqualTo(OrderStatus.ORDER_STATUS_DELIVERED);

      // one Delivered each, journaled and published once
      List<OrderEvent> events = read(kafka, "order-events", List.of(shipped, confirmed), 8);
      assertThat(events)
          .filteredOn(e -> e.getOrderId().equals(shipped))
          .extracting(OrderEvent::getEventCase)
          .containsExactly(
              OrderEvent.EventCase.PLACED,
              OrderEvent.EventCase.CONFIRMED,
              OrderEvent.EventCase.SHIPPED,
              OrderEvent.EventCase.DELIVERED);
      assertThat(events)
          .filteredOn(e -> e.getOrderId().equals(confirmed))
          .extracting(OrderEvent::getEventCase)
          .containsExactly(
              OrderEvent.EventCase.PLACED,
              OrderEvent.EventCase.CONFIRMED,
              OrderEvent.EventCase.SHIPPED,
              OrderEvent.EventCase.DELIVERED);
    }
  }

  static ShipmentEvent event(String shipmentId, long seqNr, ShipmentStatus status) {
    return ShipmentEvent.newBuilder()
        .setEventId(shipmentId + ":" + seqNr)
        .setShipmentId(shipmentId)
        .setOrderId(shipmentId)
        .setSequenceNr(seqNr)
        .setAtEpochMillis(System.currentTimeMillis())
        .setStatus(status)
        .build();
  }

  private static void send(KafkaProducer<String, byte[]> producer, ShipmentEvent event)
      throws Exception {
    send(producer, event.getShipmentId(), event);
  }

  private static void send(KafkaProducer<String, byte[]> producer, String key, ShipmentEvent event)
      throws Exception {
    producer.send(new ProducerRecord<>("shipment-events", key, event.toByteArray())).get();
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static OrderStatus status(OrderServiceClient client, String orderId) throws Exception {
    return call(client.getOrder(GetOrderRequest.newBuilder().setOrderId(orderId).build()))
        .getStatus();
  }

  private static void awaitStatus(OrderServiceClient client, String orderId, OrderStatus want) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(status(client, orderId)).isEqualTo(want));
  }

  /** The order events of these orders, until {@code n} arrived and 2 s passed with none more. */
  private static List<OrderEvent> read(
      KafkaBroker kafka, String topic, List<String> orderIds, int n) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "order-test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<OrderEvent> result = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          if (orderIds.contains(r.key())) {
            result.add(OrderEvent.parseFrom(r.value()));
          }
        }
        if (result.size() >= n && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return result;
  }
}
