package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.testing.kafka.KafkaBroker;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A topic leaves the spec: with deletionPolicy Retain (the default) its KafkaTopic is annotated
 * {@code strimzi.io/managed: "false"} before its deletion starts, so the topic operator keeps the
 * topic and its records in the broker; with Delete the topic goes from the broker too. Every state
 * each KafkaTopic passes through is recorded by a watch, so "unmanaged, then deleted" is checked on
 * the object the topic operator saw, not guessed afterwards.
 */
final class TopicRetentionJourney {
  static final String RETAINED = "retention-check-kept";
  static final String DELETED = "retention-check-deleted";

  /** One observed state of a KafkaTopic. */
  record Seen(Watcher.Action action, boolean unmanaged, boolean deleting) {}

  private final ShopCluster cluster;
  private final KafkaBroker broker;
  private final Consumer<String> progress;

  TopicRetentionJourney(ShopCluster cluster, KafkaBroker broker, Consumer<String> progress) {
    this.cluster = cluster;
    this.broker = broker;
    this.progress = progress;
  }

  void run() {
    editTopics(
        topics -> {
          topics.add(Map.of("name", RETAINED, "partitions", 1, "replicas", 1));
          topics.add(
              Map.of("name", DELETED, "partitions", 1, "replicas", 1, "deletionPolicy", "Delete"));
        });
    await("both topics in the broker")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> broker.topics().containsAll(List.of(RETAINED, DELETED)));
    broker.produce(RETAINED, 1);
    assertThat(broker.endOffset(RETAINED)).as("records in " + RETAINED).isEqualTo(1);
    progress.accept("topics " + RETAINED + " (Retain) and " + DELETED + " (Delete) in the broker");

    Map<String, List<Seen>> seen =
        Map.of(RETAINED, new CopyOnWriteArrayList<>(), DELETED, new CopyOnWriteArrayList<>());
    var watches = new ArrayList<io.fabric8.kubernetes.client.Watch>();
    try {
      seen.forEach((name, states) -> watches.add(watch(kafkaTopicName(name), states)));
      editTopics(
          topics -> topics.removeIf(t -> List.of(RETAINED, DELETED).contains(t.get("name"))));
      await("both KafkaTopics gone")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  seen.values().stream()
                      .allMatch(
                          s -> s.stream().anyMatch(e -> e.action() == Watcher.Action.DELETED)));
    } finally {
      watches.forEach(io.fabric8.kubernetes.client.Watch::close);
    }
    progress.accept("KafkaTopic states seen: " + seen);
    assertThat(firstDeleting(seen.get(RETAINED)).unmanaged())
        .as(RETAINED + ": strimzi.io/managed=false when its deletion started")
        .isTrue();
    assertThat(firstDeleting(seen.get(DELETED)).unmanaged())
        .as(DELETED + ": still managed when its deletion started")
        .isFalse();

    await("the Delete topic gone from the broker")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> !broker.topics().contains(DELETED));
    assertThat(broker.topics()).as("the broker's topics").contains(RETAINED);
    assertThat(broker.endOffset(RETAINED)).as("records kept in " + RETAINED).isEqualTo(1);
    progress.accept(
        RETAINED + " and its record are still in the broker; " + DELETED + " is gone from it");
  }

  /** The first state with a deletionTimestamp (or the DELETED event, if no update showed one). */
  private static Seen firstDeleting(List<Seen> states) {
    return states.stream().filter(Seen::deleting).findFirst().orElseThrow();
  }

  private io.fabric8.kubernetes.client.Watch watch(String name, List<Seen> states) {
    return cluster
        .client()
        .genericKubernetesResources(ShopCluster.KAFKA_TOPICS)
        .inNamespace(ShopCluster.NAMESPACE)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource topic) {
                var annotations = topic.getMetadata().getAnnotations();
                boolean unmanaged =
                    annotations != null
                        && "false".equals(annotations.get(TopicOperatorStandIn.MANAGED));
                states.add(
                    new Seen(
                        action,
                        unmanaged,
                        topic.getMetadata().getDeletionTimestamp() != null
                            || action == Action.DELETED));
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /** The KafkaTopic of a topic: named {@code <system>-<topic>}. */
  private static String kafkaTopicName(String topic) {
    return Labels.resourceName(ShopCluster.SYSTEM, topic);
  }

  @SuppressWarnings("unchecked")
  private void editTopics(Consumer<List<Map<String, Object>>> change) {
    cluster
        .client()
        .genericKubernetesResources(ShopCluster.SYSTEMS)
        .inNamespace(ShopCluster.NAMESPACE)
        .withName(ShopCluster.SYSTEM)
        .edit(
            system -> {
              Map<String, Object> kafka = system.get("spec", "kafka");
              var topics = new ArrayList<>((List<Map<String, Object>>) kafka.get("topics"));
              change.accept(topics);
              kafka.put("topics", topics);
              return system;
            });
  }
}
