package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * One Kafka topic, created as a Strimzi KafkaTopic. The transition rules compare a topic with its
 * old self: spec.kafka.topics is a map list keyed by name, so the API server pairs them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.partitions >= oldSelf.partitions",
    message =
        "spec.kafka.topics[].partitions cannot decrease: Kafka cannot remove partitions from a"
            + " topic")
@ValidationRule(
    value = "self.replicas == oldSelf.replicas",
    message =
        "spec.kafka.topics[].replicas cannot change: Strimzi's topic operator cannot change a"
            + " topic's replication factor")
public class TopicSpec {
  @Required
  @Size(min = 1, max = 100)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Topic name; also the KafkaTopic's name, so lower-case letters, digits, '-' and '.' only.")
  public String name;

  @Default("3")
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Number of partitions, 1 to 10000. Default 3.")
  public Integer partitions;

  @Default("3")
  @Min(1)
  @Max(32767)
  @JsonPropertyDescription("Replication factor, 1 to 32767. Default 3.")
  public Integer replicas;

  @Default("Retain")
  @JsonPropertyDescription(
      "What happens to the topic in Kafka when it leaves spec.kafka.topics or the system is"
          + " deleted. Retain (default): the KafkaTopic is annotated strimzi.io/managed=false"
          + " before it is removed, so Strimzi keeps the topic and its data. Delete: Strimzi"
          + " deletes the topic and its data.")
  public TopicDeletionPolicy deletionPolicy;

  @Size(max = 64)
  @JsonPropertyDescription("Kafka topic configuration, e.g. retention.ms: \"604800000\".")
  public Map<String, String> config;

  public TopicSpec() {}

  public TopicSpec(String name) {
    this.name = name;
  }

  public int partitionsOrDefault() {
    return partitions == null ? 3 : partitions;
  }

  public TopicDeletionPolicy deletionPolicyOrDefault() {
    return deletionPolicy == null ? TopicDeletionPolicy.Retain : deletionPolicy;
  }

  public int replicasOrDefault() {
    return replicas == null ? 3 : replicas;
  }
}
