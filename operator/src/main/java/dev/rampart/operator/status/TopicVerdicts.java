package dev.rampart.operator.status;

import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Objects;

/**
 * A KafkaTopic's verdict: Ready only when Strimzi's Ready condition is True for the topic's current
 * generation (a Ready of an older generation says nothing about the last change).
 */
final class TopicVerdicts {
  static final String NOT_READY = "TopicsNotReady";
  static final String CRD_MISSING = "KafkaTopicCrdNotInstalled";

  private TopicVerdicts() {}

  static Verdict crdNotInstalled() {
    return Verdict.notOk(
        CRD_MISSING,
        "Strimzi's KafkaTopic CRD (kafkatopics.kafka.strimzi.io) is not installed: install"
            + " Strimzi and run its Topic Operator");
  }

  static Verdict of(String topic, KafkaTopic kafkaTopic, String cluster) {
    if (kafkaTopic == null) {
      return Verdict.notOk(NOT_READY, topic + ": KafkaTopic not created yet");
    }
    var status = kafkaTopic.getStatus();
    Long generation = kafkaTopic.getMetadata().getGeneration();
    var ready =
        status == null || status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (ready == null) {
      return Verdict.notOk(
          NOT_READY,
          topic
              + ": not reported Ready by Strimzi yet: is the topic operator of Kafka cluster '"
              + cluster
              + "' running in this namespace?");
    }
    if (generation != null && status.getObservedGeneration() < generation) {
      return Verdict.notOk(
          NOT_READY,
          topic
              + ": Strimzi has not yet reported on generation "
              + generation
              + " of KafkaTopic "
              + kafkaTopic.getMetadata().getName()
              + " (last reported: "
              + status.getObservedGeneration()
              + ")");
    }
    if (!"True".equals(ready.getStatus())) {
      return Verdict.notOk(
          NOT_READY,
          topic
              + ": "
              + Objects.toString(ready.getReason(), "NotReady")
              + ": "
              + Objects.toString(ready.getMessage(), "no message"));
    }
    return Verdict.ok("TopicReady", topic + ": ready");
  }
}
