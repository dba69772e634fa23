package dev.rampart.operator.api.v1alpha1;

/**
 * What happens to a Kafka topic when its KafkaTopic goes (the topic leaves the spec, or the system
 * is deleted).
 */
public enum TopicDeletionPolicy {
  /**
   * The KafkaTopic is annotated strimzi.io/managed=false first: Strimzi keeps the topic and its
   * data.
   */
  Retain,
  /** Strimzi's topic operator deletes the topic in Kafka, with its data. */
  Delete
}
