package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.KafkaSpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.TopicDeletionPolicy;
import dev.rampart.operator.api.v1alpha1.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Strimzi KafkaTopic per declared topic, named {@code <system>-<topic>} in the system's namespace
 * with spec.topicName the real topic name, labelled for the cluster's topic operator. The topic's
 * deletion policy travels on the KafkaTopic as an annotation, so it is still known once the topic
 * has left the spec.
 */
public final class KafkaTopics {
  public static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";

  /**
   * An annotation (Strimzi reads no label of that name): "false" and Strimzi's topic operator
   * leaves the topic alone, and keeps it in Kafka when the KafkaTopic goes.
   */
  public static final String STRIMZI_MANAGED_ANNOTATION = "strimzi.io/managed";

  public static final String DELETION_POLICY_ANNOTATION = "rampart.dev/deletion-policy";
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
        .editMetadata()
        .addToAnnotations(DELETION_POLICY_ANNOTATION, topic.deletionPolicyOrDefault().name())
        .endMetadata()
        .withNewSpec()
        .withTopicName(topic.name)
        .withPartitions(topic.partitionsOrDefault())
        .withReplicas(topic.replicasOrDefault())
        .withConfig(config)
        .endSpec()
        .build();
  }

  /**
   * Whether the topic in Kafka must outlive this KafkaTopic: anything but an explicit Delete (also
   * a KafkaTopic made before the policy existed).
   */
  public static boolean retained(KafkaTopic actual) {
    var annotations = actual.getMetadata().getAnnotations();
    String policy = annotations == null ? null : annotations.get(DELETION_POLICY_ANNOTATION);
    return !TopicDeletionPolicy.Delete.name().equals(policy);
  }
}
