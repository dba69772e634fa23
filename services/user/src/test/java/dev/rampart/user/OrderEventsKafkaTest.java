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
 * it, unreadable and foreign records are skipped without blocking, a redelivered record (also one
 * older than what was applied, or of an order the bounded dedupe no longer remembers: the node's
 * {@code dedupe-orders} is 2 here) changes nothing, and a full replay from offset 0 leaves the
 * journals exactly as they were.
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
                    + "\"\nrampart.user.order-events.min-backoff = 200ms"
                    // a small bound, so that the replay below meets orders the dedupe let go
                    + "\nrampart.user.dedupe-orders = 2"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static OrderEvent placed(String orderId, String customer, long total) {
    return placed(orderId, customer, total, 1);
  }

  static OrderEvent placed(String orderId, String customer, long total, long atMillis) {
    return OrderEvent.newBuilder()
        .setEventId(orderId + ":1")
        .setOrderId(orderId)
        .setSequenceNr(1)
        .setCustomerId(customer)
        .setAtEpochMillis(atMillis)
        .setPlaced(OrderPlaced.newBuilder().setTotalCents(total))
        .build();
  }

  static OrderEvent confirmed(String orderId, String customer) {
    return confirmed(orderId, customer, 2);
  }

  static OrderEvent confirmed(String orderId, String customer, long atMillis) {
    return OrderEvent.newBuilder()
        .setEventId(orderId + ":2")
        .setOrderId(orderId)
        .setSequenceNr(2)
        .setCustomerId(customer)
        .setAtEpochMillis(atMillis)
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
            .currentEventsByPersistenceId(UserFeed.persistenceId(userId).id(), 0, Long.MAX_VALUE)
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

  /** A record keyed by its customer: all in one partition, in the order produced. */
  static ProducerRecord<String, byte[]> inOrder(OrderEvent e) {
    return new ProducerRecord<>(TOPIC, e.getCustomerId(), e.toByteArray());
  }

  static void register(UserCluster.Node node, String userId) {
    UserCluster.join(
        node.client()
            .register(
                RegisterRequest.newBuilder()
                    .setUserId(userId)
                    .setName(userId)
                    .setEmail(userId + "@example.com")
                    .setAddress(
                        Address.newBuilder()
                            .setStreet("1 Main St")
                            .setCity("Berlin")
                            .setPostalCode("10115")
                            .setCountry("DE"))
                    .build()));
  }

  @Test
  void buildsTheOrderHistoryOnceEvenWhenRecordsComeAgain() throws Exception {
    UserCluster.Node node = cluster.node(0);
    register(node, "kim");
    register(node, "lou");

    // lou: five orders (the feed remembers the last two), then a late and a stale redelivery
    List<ProducerRecord<String, byte[]>> lous = new java.util.ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      lous.add(inOrder(placed("lou-" + n, "lou", 100 * n, 100 * n)));
    }
    lous.add(inOrder(confirmed("lou-5", "lou", 600)));
    lous.add(
        inOrder(placed("lou-5", "lou", 500, 500))); // out of order: older than the confirmation
    lous.add(inOrder(placed("lou-2", "lou", 200, 200))); // an order the dedupe has let go
    produce(lous);

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
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        UserCluster.join(
                                node.client()
                                    .getUser(GetUserRequest.newBuilder().setUserId("lou").build()))
                            .getOrdersList())
                    .extracting(OrderSummary::getOrderId, OrderSummary::getStatus)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("lou-1", "PLACED"),
                        org.assertj.core.groups.Tuple.tuple("lou-2", "PLACED"),
                        org.assertj.core.groups.Tuple.tuple("lou-3", "PLACED"),
                        org.assertj.core.groups.Tuple.tuple("lou-4", "PLACED"),
                        org.assertj.core.groups.Tuple.tuple("lou-5", "CONFIRMED")));
    await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp("rampart-user"));
    List<Object> before = journal(node.runtime().system(), "kim");
    assertThat(before)
        .hasSize(4); // registered + three distinct order events; the redelivery added nothing
    List<Object> lousBefore = journal(node.runtime().system(), "lou");
    // registered, five placed, one confirmed: the late and the stale redelivery added nothing
    assertThat(lousBefore).hasSize(7);

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
    // every one of lou's orders came again, three of them no longer in the feed's bounded memory
    assertThat(journal(node.runtime().system(), "lou")).isEqualTo(lousBefore);
    User kim =
        UserCluster.join(
            node.client().getUser(GetUserRequest.newBuilder().setUserId("kim").build()));
    assertThat(kim.getOrdersCount()).isEqualTo(2);
  }
}
