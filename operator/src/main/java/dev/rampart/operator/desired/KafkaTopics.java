package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.KafkaSpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Strimzi KafkaTopic per declared topic, named {@code <system>-<topic>} (two systems in one
 * namespace cannot clash) with spec.topicName the real topic name, labelled for the cluster's topic
 * operator.
 */
public final class KafkaTopics {
  public static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";
  static final String COMPONENT = "topic";

  private KafkaTopics() {}

  public static String resourceName(MicroserviceSystem system, String topic) {
    return Labels.resourceName(system.name(), topic);
  }

  public static KafkaTopic of(MicroserviceSystem system, KafkaSpec kafka, TopicSpec topic) {
    Map<String, String> labels = new LinkedHashMap<>(ChildMetadata.systemLabels(system, COMPONENT));
    labels.put(STRIMZI_CLUSTER_LABEL, kafka.cluster);
    Map<String, Object> config = topic.config == null ? null : new TreeMap<>(topic.config);
    return new KafkaTopicBuilder()
        .withMetadata(ChildMetadata.named(system, resourceName(system, topic.name), labels))
        .withNewSpec()
        .withTopicName(topic.name)
        .withPartitions(topic.partitionsOrDefault())
        .withReplicas(topic.replicasOrDefault())
        .withConfig(config)
        .endSpec()
        .build();
  }
}
