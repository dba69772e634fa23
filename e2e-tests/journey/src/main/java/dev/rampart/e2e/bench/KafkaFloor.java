package dev.rampart.e2e.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka floor: a plain producer (acks=all, idempotent, no linger) and a plain consumer on the
 * pipeline's broker, the record carrying its due time; latency is due → consumed.
 */
final class KafkaFloor implements AutoCloseable {
  static final String TOPIC = "bench-floor";
  static final int PARTITIONS = 4;
  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  KafkaFloor(String bootstrap) {
    this.bootstrap = bootstrap;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  FloorResult run(int rate, Duration duration) throws InterruptedException {
    Latencies latencies = new Latencies();
    AtomicInteger received = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch assigned = new CountDownLatch(1);
    Thread consumer =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> c =
                  new KafkaConsumer<>(
                      Map.of(
                          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                          bootstrap,
                          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                          false),
                      new StringDeserializer(),
                      new ByteArrayDeserializer())) {
                List<TopicPartition> partitions =
                    java.util.stream.IntStream.range(0, PARTITIONS)
                        .mapToObj(p -> new TopicPartition(TOPIC, p))
                        .toList();
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position);
                assigned.countDown();
                while (!stop.get()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long due = ByteBuffer.wrap(r.value()).getLong();
                    latencies.add((System.nanoTime() - due) / 1000);
                    received.incrementAndGet();
                  }
                }
              }
            },
            "kafka-floor-consumer");
    consumer.start();
    if (!assigned.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the floor's consumer got no partitions of " + TOPIC);
    }
    AtomicInteger sent = new AtomicInteger();
    OpenLoop.run(
        rate,
        duration,
        (i, due) -> {
          sent.incrementAndGet();
          producer.send(
              new ProducerRecord<>(
                  TOPIC, "k" + i, ByteBuffer.allocate(Long.BYTES).putLong(due).array()));
        });
    producer.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() < sent.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    stop.set(true);
    consumer.join();
    return FloorResult.of(sent.get(), received.get(), latencies);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
