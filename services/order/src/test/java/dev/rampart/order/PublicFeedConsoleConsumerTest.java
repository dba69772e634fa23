package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.rampart.contract.Env;
import dev.rampart.testing.kafka.KafkaBroker;
import dev.rampart.testing.kafka.KafkaConsoleConsumer;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A real third-party client of the public feed: Kafka's own console consumer, its own JVM on
 * Kafka's Maven Central jars, joins a new consumer group after the first orders are on the topic
 * and reads order-events-public from the beginning (the past), then stays on for the orders placed
 * after it started (the future). Every record is decoded as a third party would: DynamicMessage
 * over the descriptor set the build publishes, JsonFormat for its JSON; none carries the customer.
 */
class PublicFeedConsoleConsumerTest {
  private static final String TOPIC = "order-events-public";
  private static final int PAST = 4;
  private static final int LIVE = 3;
  private static final Set<String> EVERY_ORDER_REACHES =
      Set.of("ORDER_STATUS_PLACED", "ORDER_STATUS_CONFIRMED", "ORDER_STATUS_SHIPPED");

  @Test
  void aNewConsumerGroupGetsEveryOrderFromTheBeginningThenTheLiveOnesWithoutPii() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic("order-events", 4);
    kafka.createTopic(TOPIC, 4);
    String run = "feed-" + UUID.randomUUID().toString().substring(0, 8);
    String customer = "cust-" + run + "-grace-hopper";
    Descriptor schema = PublicFeedSchema.orderFeedEvent();
    try (TestDatabase db = Postgres.shared().createDatabase("order_feed");
        PeerServers peers = new PeerServers(customer);
        OrderNodes nodes =
            OrderNodes.start(
                1, db, peers, Map.of(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers()))) {
      long before = kafka.endOffset(TOPIC);
      List<String> past = placeOrders(nodes, run, 0, PAST, customer);
      // the past is on the topic before the third party's group exists
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> kafka.endOffset(TOPIC) >= before + (long) PAST * EVERY_ORDER_REACHES.size());

      try (KafkaConsoleConsumer consumer =
          KafkaConsoleConsumer.fromBeginning(kafka, TOPIC, "third-party-" + run)) {
        awaitStatuses(consumer, schema, run, past);

        List<String> live = placeOrders(nodes, run, PAST, LIVE, customer);
        List<String> all = new ArrayList<>(past);
        all.addAll(live);
        Map<String, Set<String>> seen = awaitStatuses(consumer, schema, run, all);
        System.out.printf(
            "kafka-console-consumer.sh %s%n  read %d orders of this run (%d before it started)"
                + ", statuses %s%n",
            String.join(" ", consumer.arguments()).replace("\t", "\\t"), seen.size(), PAST, seen);

        for (KafkaConsoleConsumer.Line line : linesOfRun(consumer, run)) {
          assertThat(new String(line.value(), StandardCharsets.ISO_8859_1))
              .as("record bytes of %s", line.key())
              .doesNotContain(customer);
          DynamicMessage event = DynamicMessage.parseFrom(schema, line.value());
          assertThat(event.getUnknownFields().asMap()).as("fields the schema lacks").isEmpty();
          String orderId = (String) field(event, "order_id");
          assertThat(line.key()).isEqualTo(orderId);
          assertThat(field(event, "event_id")).isEqualTo(orderId + ":" + field(event, "sequence"));
          assertThat(event.hasField(schema.findFieldByName("occurred_at"))).isTrue();
          assertThat(field(event, "item_count")).isEqualTo(3);
          String json = JsonFormat.printer().omittingInsignificantWhitespace().print(event);
          assertThat(json).contains("\"orderId\":\"" + orderId + "\"").doesNotContain(customer);
        }
      }
    }
  }

  private static List<String> placeOrders(
      OrderNodes nodes, String run, int from, int count, String customer) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String id = run + "-" + i;
      call(
          nodes
              .node(0)
              .client()
              .placeOrder(order(id, customer, line("book", 2, 1250), line("pen", 1, 99))));
      ids.add(id);
    }
    return ids;
  }

  /** Waits until the consumer printed PLACED, CONFIRMED and SHIPPED of every given order. */
  private static Map<String, Set<String>> awaitStatuses(
      KafkaConsoleConsumer consumer, Descriptor schema, String run, List<String> orders) {
    @SuppressWarnings("unchecked")
    Map<String, Set<String>>[] seen = new Map[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .failFast("the console consumer exited", () -> !consumer.isAlive())
        .untilAsserted(
            () -> {
              seen[0] = statusesByOrder(consumer, schema, run);
              assertThat(seen[0].keySet())
                  .as("orders read (console consumer log:%n%s)", consumer.logTail(20))
                  .containsAll(orders);
              orders.forEach(
                  id -> assertThat(seen[0].get(id)).as(id).containsAll(EVERY_ORDER_REACHES));
            });
    return seen[0];
  }

  private static Map<String, Set<String>> statusesByOrder(
      KafkaConsoleConsumer consumer, Descriptor schema, String run) throws Exception {
    Map<String, Set<String>> statuses = new TreeMap<>();
    for (KafkaConsoleConsumer.Line line : linesOfRun(consumer, run)) {
      DynamicMessage event = DynamicMessage.parseFrom(schema, line.value());
      statuses
          .computeIfAbsent((String) field(event, "order_id"), k -> new TreeSet<>())
          .add(((EnumValueDescriptor) field(event, "status")).getName());
    }
    return statuses;
  }

  private static List<KafkaConsoleConsumer.Line> linesOfRun(
      KafkaConsoleConsumer consumer, String run) {
    return consumer.lines().stream()
        .filter(l -> l.key().startsWith(run + "-"))
        .collect(Collectors.toList());
  }

  private static Object field(DynamicMessage message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }
}
