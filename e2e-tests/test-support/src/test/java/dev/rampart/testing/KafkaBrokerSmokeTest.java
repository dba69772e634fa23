package dev.rampart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A real KRaft broker in its own JVM, used with the client line Alpakka Kafka brings (3.3.x). */
class KafkaBrokerSmokeTest {

  @Test
  void producesAndConsumesARecord() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("smoke", 2);

    try (var producer =
        new KafkaProducer<String, String>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>("smoke", "order-1", "placed")).get();
    }

    try (var consumer =
        new KafkaConsumer<String, String>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of("smoke"));
      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
      assertThat(received)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo("order-1");
                assertThat(r.value()).isEqualTo("placed");
              });
    }
  }

  @Test
  void aKilledBrokerIsGone() {
    try (KafkaBroker broker = KafkaBroker.start()) {
      assertThat(FreePorts.isListening("127.0.0.1", broker.port())).isTrue();
      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      assertThat(FreePorts.isListening("127.0.0.1", broker.port())).isFalse();
    }
  }
}
