package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.TopicDeletionPolicy;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deletionPolicy on a real API server with kube-controller-manager (garbage collection). The test
 * plays Strimzi's topic operator as far as deletion goes: its finalizer holds each KafkaTopic, and
 * what the object carries when its deletion starts is what the topic operator would act on —
 * strimzi.io/managed=false keeps the topic in Kafka, anything else deletes it.
 */
class TopicRetentionTest {
  private static final String TOPIC_OPERATOR_FINALIZER = "strimzi.io/topic-operator";
  private static final String RETAINED = "shop-order-events-public";
  private static final String DELETED = "shop-order-events";

  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    plane = OperatorControlPlane.start(true, true);
    client = plane.client();
    operator = RunningOperator.start(plane);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void topicsLeavingTheSpecAreUnmanagedFirstWhenRetained() {
    String ns = shopWithOneTopicOfEachPolicy("retain-spec");
    client
        .resources(MicroserviceSystem.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(
            s -> {
              s.getSpec().kafka.topics = List.of();
              s.getSpec().services.forEach(sv -> sv.produces = sv.consumes = null);
              return s;
            });
    assertDeletionStartsWith(ns, Map.of(RETAINED, "false", DELETED, "<absent>"));
  }

  @Test
  void deletingTheSystemUnmanagesRetainedTopicsBeforeTheGarbageCollectorDeletesThem() {
    String ns = shopWithOneTopicOfEachPolicy("retain-gc");
    client.resources(MicroserviceSystem.class).inNamespace(ns).withName("shop").delete();
    assertDeletionStartsWith(ns, Map.of(RETAINED, "false", DELETED, "<absent>"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(SampleSystem.get(client, ns)).isNull());
  }

  /** The sample with order-events on Delete, order-events-public on the default Retain. */
  private static String shopWithOneTopicOfEachPolicy(String prefix) {
    String ns = SampleSystem.apply(client, prefix);
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    client
        .resources(MicroserviceSystem.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(
            s -> {
              s.getSpec().kafka.topics.get(0).deletionPolicy = TopicDeletionPolicy.Delete;
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(topic(ns, DELETED).getMetadata().getAnnotations())
                    .containsEntry(KafkaTopics.DELETION_POLICY_ANNOTATION, "Delete"));
    assertThat(topic(ns, RETAINED).getMetadata().getAnnotations())
        .containsEntry(KafkaTopics.DELETION_POLICY_ANNOTATION, "Retain");
    for (String name : List.of(RETAINED, DELETED)) {
      client
          .resources(KafkaTopic.class)
          .inNamespace(ns)
          .withName(name)
          .edit(
              t -> {
                t.getMetadata().getFinalizers().add(TOPIC_OPERATOR_FINALIZER);
                return t;
              });
      assertThat(topic(ns, name).getMetadata().getAnnotations())
          .doesNotContainKey(KafkaTopics.STRIMZI_MANAGED_ANNOTATION);
    }
    return ns;
  }

  /**
   * Waits until each topic's deletion has started, checks its strimzi.io/managed annotation at that
   * point, then lets the deletion finish as the topic operator would.
   */
  private static void assertDeletionStartsWith(String ns, Map<String, String> managedAnnotation) {
    managedAnnotation.forEach(
        (name, expected) -> {
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> topic(ns, name).getMetadata().getDeletionTimestamp() != null);
          var annotations = topic(ns, name).getMetadata().getAnnotations();
          assertThat(annotations.getOrDefault(KafkaTopics.STRIMZI_MANAGED_ANNOTATION, "<absent>"))
              .as("%s: strimzi.io/managed when its deletion started", name)
              .isEqualTo(expected);
          client
              .resources(KafkaTopic.class)
              .inNamespace(ns)
              .withName(name)
              .edit(
                  t -> {
                    t.getMetadata().getFinalizers().remove(TOPIC_OPERATOR_FINALIZER);
                    return t;
                  });
          await()
              .atMost(Duration.ofSeconds(15))
              .untilAsserted(() -> assertThat(topic(ns, name)).isNull());
        });
  }

  private static KafkaTopic topic(String ns, String name) {
    return client.resources(KafkaTopic.class).inNamespace(ns).withName(name).get();
  }
}
