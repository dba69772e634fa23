package dev.rampart.shipping;

import static dev.rampart.shipping.ShippingGrpcTest.carrierEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.ShipmentEvent;
import dev.rampart.proto.events.v1.ShipmentStatus;
import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.testing.kafka.KafkaBroker;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * A real Shipping node (journal in PostgreSQL) publishes its shipment events to the real broker's
 * {@code shipment-events}: created, booked, then only the carrier events that moved the shipment
 * (duplicates and late ones are not published), in order, keyed by shipment id; read back with a
 * plain consumer.
 */
class ShipmentEventsKafkaTest {

  @Test
  void theShipmentsEventsReachShipmentEventsInOrderWithoutDuplicatesOrLateOnes() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic("shipment-events", 4);
    try (TestDatabase db = Postgres.shared().createDatabase("shipping_kafka")) {
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  Env.JDBC_URL,
                  db.jdbcUrl(),
                  Env.JDBC_USER,
                  db.user(),
                  Env.JDBC_PASSWORD,
                  db.password(),
                  Env.KAFKA_BOOTSTRAP_SERVERS,
                  kafka.bootstrapServers()));
      try (var shipping = new ServiceNodes.Shipping("127.0.0.4", env, null, 0)) {
        ShippingServiceClient client = shipping.client();
        String id = "ship-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceNodes.join(client.createShipment(ShippingGrpcTest.create(id, "alice")));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ServiceNodes.join(
                            client.getShipment(
                                GetShipmentRequest.newBuilder().setShipmentId(id).build()))
                        .getStatus()
                        .equals("BOOKED"));
        for (var e :
            List.of(
                carrierEvent(id, "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT),
                carrierEvent(id, "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT),
                carrierEvent(id, "c-3", CarrierStatus.CARRIER_STATUS_DELIVERED),
                carrierEvent(id, "c-2", CarrierStatus.CARRIER_STATUS_OUT_FOR_DELIVERY))) {
          ServiceNodes.join(client.recordCarrierEvent(e));
        }

        List<ConsumerRecord<String, byte[]>> records = read(kafka, id, 4);
        List<ShipmentEvent> events = new ArrayList<>();
        for (var r : records) {
          assertThat(r.key()).isEqualTo(id);
          events.add(ShipmentEvent.parseFrom(r.value()));
        }
        assertThat(events)
            .extracting(ShipmentEvent::getStatus)
            .containsExactly(
                ShipmentStatus.SHIPMENT_STATUS_CREATED,
                ShipmentStatus.SHIPMENT_STATUS_BOOKED,
                ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT,
                ShipmentStatus.SHIPMENT_STATUS_DELIVERED);
        assertThat(events)
            .extracting(ShipmentEvent::getEventId)
            .containsExactly(id + ":1", id + ":2", id + ":3", id + ":4");
        assertThat(events).allSatisfy(e -> assertThat(e.getOrderId()).isEqualTo(id));
        assertThat(events.get(1).getCarrier()).isEqualTo("DHL");
        assertThat(events.get(1).getTrackingCode()).startsWith("RP");
        assertThat(events.get(3).getCarrierEventId()).isEqualTo("c-3");
        assertThat(events.get(3).getOccurredAtEpochMillis()).isEqualTo(1_700_000_000_000L);
      }
    }
  }

  /** This shipment's records, until {@code n} arrived and 2 s passed with none more. */
  private static List<ConsumerRecord<String, byte[]>> read(KafkaBroker kafka, String key, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "shipping-test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> result = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("shipment-events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          if (key.equals(r.key())) {
            result.add(r);
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
