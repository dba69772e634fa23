package dev.rampart.e2e.kube;

import dev.rampart.testing.kafka.KafkaBroker;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays Strimzi's (unidirectional) topic operator for the local e2e (no Strimzi runs here), as its
 * documentation and {@code TopicOperatorUtil.isManaged} describe it: a managed KafkaTopic gets the
 * finalizer {@value #FINALIZER}, becomes a real topic in the real broker, and only then is its
 * status set Ready; when a managed KafkaTopic is deleted, the topic is deleted from the broker
 * before the finalizer goes. A KafkaTopic annotated {@code strimzi.io/managed: "false"} is left
 * alone: its finalizer is removed and the topic, with its data, stays in the broker when the
 * KafkaTopic goes.
 */
final class TopicOperatorStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicOperatorStandIn.class);
  static final String FINALIZER = "strimzi.io/topic-operator";

  /** An annotation, not a label: Strimzi reads only the annotation. */
  static final String MANAGED = "strimzi.io/managed";

  private final KubernetesClient client;
  private final KafkaBroker kafka;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "topic-operator-stand-in");
            t.setDaemon(true);
            return t;
          });
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  TopicOperatorStandIn(KubernetesClient client, KafkaBroker kafka) {
    this.client = client;
    this.kafka = kafka;
    this.informer =
        client
            .genericKubernetesResources(ShopCluster.KAFKA_TOPICS)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(GenericKubernetesResource topic) {
                    worker.submit(() -> reconcile(topic));
                  }

                  @Override
                  public void onUpdate(
                      GenericKubernetesResource old, GenericKubernetesResource topic) {
                    worker.submit(() -> reconcile(topic));
                  }

                  @Override
                  public void onDelete(
                      GenericKubernetesResource topic, boolean unknownFinalState) {}
                },
                30_000);
  }

  private void reconcile(GenericKubernetesResource topic) {
    String name =
        topic.get("spec", "topicName") != null
            ? topic.get("spec", "topicName")
            : topic.getMetadata().getName();
    boolean managed = !"false".equals(annotations(topic).get(MANAGED));
    boolean finalized = topic.getMetadata().getFinalizers().contains(FINALIZER);
    try {
      if (topic.getMetadata().getDeletionTimestamp() != null || !managed) {
        if (finalized) {
          if (managed) {
            kafka.deleteTopic(name);
            log.info("managed KafkaTopic of {} deleted: the topic is deleted in the broker", name);
          } else {
            log.info("KafkaTopic of {} unmanaged: the topic stays in the broker", name);
          }
          editFinalizers(topic, f -> f.remove(FINALIZER));
        }
        return;
      }
      if (!finalized) {
        editFinalizers(topic, f -> f.add(FINALIZER));
      }
    } catch (RuntimeException e) {
      log.warn("topic {}: {}", name, e.toString());
      return;
    }
    Long generation = topic.getMetadata().getGeneration();
    Object observed = topic.get("status", "observedGeneration");
    if (observed != null && generation != null && ((Number) observed).longValue() == generation) {
      return;
    }
    Object partitions = topic.get("spec", "partitions");
    try {
      kafka.createTopic(name, partitions == null ? 1 : ((Number) partitions).intValue());
      GenericKubernetesResource status = new GenericKubernetesResource();
      status.setApiVersion("kafka.strimzi.io/v1beta2");
      status.setKind("KafkaTopic");
      status.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(topic.getMetadata().getName())
              .withNamespace(topic.getMetadata().getNamespace())
              .build());
      status.setAdditionalProperty(
          "status",
          Map.of(
              "observedGeneration",
              generation == null ? 1 : generation,
              "topicName",
              name,
              "conditions",
              List.of(
                  Map.of(
                      "type",
                      "Ready",
                      "status",
                      "True",
                      "lastTransitionTime",
                      Instant.now().toString()))));
      client
          .genericKubernetesResources(ShopCluster.KAFKA_TOPICS)
          .inNamespace(topic.getMetadata().getNamespace())
          .resource(status)
          .patchStatus();
      log.info("topic {} created in the broker and marked Ready", name);
    } catch (RuntimeException e) {
      log.warn("topic {}: {}", name, e.toString());
    }
  }

  private static Map<String, String> annotations(GenericKubernetesResource topic) {
    return topic.getMetadata().getAnnotations() == null
        ? Map.of()
        : topic.getMetadata().getAnnotations();
  }

  private void editFinalizers(GenericKubernetesResource topic, Consumer<List<String>> change) {
    client
        .genericKubernetesResources(ShopCluster.KAFKA_TOPICS)
        .inNamespace(topic.getMetadata().getNamespace())
        .withName(topic.getMetadata().getName())
        .edit(
            t -> {
              List<String> finalizers = new ArrayList<>(t.getMetadata().getFinalizers());
              change.accept(finalizers);
              t.getMetadata().setFinalizers(finalizers);
              return t;
            });
  }

  @Override
  public void close() {
    informer.close();
    worker.shutdownNow();
  }
}
