package dev.rampart.operator.dependent;

import dev.rampart.operator.desired.KafkaTopics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.net.HttpURLConnection;

/**
 * Before a KafkaTopic with deletion policy Retain goes, it is annotated strimzi.io/managed=false:
 * Strimzi's topic operator then removes its finalizer without deleting the topic in Kafka. The
 * annotation is committed before the deletion starts, so the topic operator sees it on the object
 * it deletes.
 */
public final class TopicRetention {
  private static final String UNMANAGED =
      "{\"metadata\":{\"annotations\":{\""
          + KafkaTopics.STRIMZI_MANAGED_ANNOTATION
          + "\":\"false\"}}}";

  private TopicRetention() {}

  /** Marks a retained topic unmanaged; a topic with policy Delete, or one already gone, is left. */
  public static void unmanageIfRetained(KubernetesClient client, KafkaTopic topic) {
    if (!KafkaTopics.retained(topic)) {
      return;
    }
    try {
      // on the cached object itself: a patch by name would GET it first (the chart grants no get)
      client.resource(topic).patch(PatchContext.of(PatchType.JSON_MERGE), UNMANAGED);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }
}
