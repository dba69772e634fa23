package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorSystem;
import akka.kafka.ConsumerSettings;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Sink;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.proto.events.v1.OrderConfirmed;
import dev.rampart.proto.events.v1.OrderEvent;
import dev.rampart.proto.events.v1.OrderPlaced;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A User node consuming a real Kafka broker's {@code order-events}: the order history is built from
 * it, unreadable and foreign records are skipped without blocking, a redelivered record changes
 * nothing, and a full replay from offset 0 leaves the journal exactly as it was.
 */
class OrderEventsKafkaTest {
  static final String TOPIC = "order-events-" + System.nanoTime();
  static KafkaBroker kafka;
  static UserCluster cluster;

  @BeforeAll
  static void start() {
    kafka = KafkaBroker.shared();
    kafka.createTopic(TOPIC, 3);
    Map<String, String> env = new HashMap<>(UserCluster.h2("user-kafka"));
    env.put(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    cluster =
        UserCluster.start(
            1,
            env,
            ConfigFactory.parseString(
                "rampart.user.order-events.topic = \""
                    + TOPIC
                    + "\"\nrampart.user.order-events.min-backoff = 200ms"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static OrderEvent placed(String orderId, String customer, long total) {
    return OrderEvent.newBuilder()
        .setEventId(orderId + ":1")
        .setOrderId(orderId)
        .setSequenceNr(1)
        .setCustomerId(customer)
        .setAtEpochMillis(1)
        .setPlaced(OrderPlaced.newBuilder().setTotalCents(total))
        .build();
  }

  static OrderEvent confirmed(String orderId, String customer) {
    return OrderEvent.newBuilder()
        .setEventId(orderId + ":2")
        .setOrderId(orderId)
        .setSequenceNr(2)
        .setCustomerId(customer)
        .setAtEpochMillis(2)
        .setConfirmed(OrderConfirmed.getDefaultInstance())
        .build();
  }

  static void produce(List<ProducerRecord<String, byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) {
        producer.send(r).get();
      }
    }
  }

  static ProducerRecord<String, byte[]> record(OrderEvent e) {
    return new ProducerRecord<>(TOPIC, e.getOrderId(), e.toByteArray());
  }

  static List<Object> journal(ActorSystem<?> system, String userId) {
    return UserCluster.join(
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier())
            .currentEventsByPersistenceId(UserEntity.persistenceId(userId).id(), 0, Long.MAX_VALUE)
            .map(e -> e.event())
            .runWith(Sink.seq(), system));
  }

  /** True once the group has committed every partition's end offset. */
  static boolean caughtUp(String groupId) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest =
          java.util.stream.IntStream.range(0, 3)
              .boxed()
              .collect(
                  Collectors.toMap(p -> new TopicPartition(TOPIC, p), p -> OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      return ends.entrySet().stream()
          .allMatch(
              e ->
                  e.getValue().offset() == 0
                      || (committed.containsKey(e.getKey())
                          && committed.get(e.getKey()).offset() >= e.getValue().offset()));
    }
  }

  @Test
  void buildsTheOrderHistoryOnceEvenWhenRecordsComeAgain() throws Exception {
    UserCluster.Node node = cluster.node(0);
    UserCluster.join(
        node.client()
            .register(
                RegisterRequest.newBuilder()
                    .setUserId("kim")
                    .setName("Kim")
                    .setEmail("kim@example.com")
                    .setAddress(
                        Address.newBuilder()
                            .setStreet("1 Main St")
                            .setCity("Berlin")
                            .setPostalCode("10115")
                            .setCountry("DE"))
                    .build()));

    produce(
        List.of(
            record(placed("o1", "kim", 1250)),
            new ProducerRecord<>(TOPIC, "junk", "not a protobuf OrderEvent".getBytes()),
            record(placed("o9", "nobody-registered", 100)),
            record(placed("o1", "kim", 1250)), // redelivery of the same event
            record(confirmed("o1", "kim")),
            record(placed("o2", "kim", 500))));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              User kim =
                  UserCluster.join(
                      node.client().getUser(GetUserRequest.newBuilder().setUserId("kim").build()));
              assertThat(kim.getOrdersList())
                  .extracting(
                      OrderSummary::getOrderId,
                      OrderSummary::getStatus,
                      OrderSummary::getTotalCents)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("o1", "CONFIRMED", 1250L),
                      org.assertj.core.groups.Tuple.tuple("o2", "PLACED", 500L));
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp("rampart-user"));
    List<Object> before = journal(node.runtime().system(), "kim");
    assertThat(before)
        .hasSize(4); // registered + three distinct order events; the redelivery added nothing

    // Replay the whole topic from offset 0 (a new consumer group starts at the earliest offset).
    ConsumerSettings<String, byte[]> replay =
        Main.consumerSettings(node.runtime()).orElseThrow().withGroupId("rampart-user-replay");
    UniqueKillSwitch replaying = OrderEventsConsumer.start(node.runtime().system(), replay);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp("rampart-user-replay"));
    } finally {
      replaying.shutdown();
    }
    assertThat(journal(node.runtime().system(), "kim")).isEqualTo(before);
    User kim =
        UserCluster.join(
            node.client().getUser(GetUserRequest.newBuilder().setUserId("kim").build()));
    assertThat(kim.getOrdersCount()).isEqualTo(2);
  }
}
