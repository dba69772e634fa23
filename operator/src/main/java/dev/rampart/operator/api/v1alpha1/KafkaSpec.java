package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.operator.api.MapList;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The Strimzi Kafka cluster of a system. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.cluster == oldSelf.cluster || !has(oldSelf.topics) || size(oldSelf.topics) == 0",
    message =
        "spec.kafka.cluster cannot change while topics are declared: their KafkaTopics belong to"
            + " the old cluster's topic operator")
public class KafkaSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the Strimzi Kafka cluster; set as label strimzi.io/cluster on every KafkaTopic "
          + "so that cluster's topic operator manages them.")
  public String cluster;

  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^[^\\s,:]+:[0-9]{1,5}(,[^\\s,:]+:[0-9]{1,5})*$")
  @ValidationRule(
      value =
          "self.split(',').all(s, int(s.substring(s.lastIndexOf(':') + 1)) >= 1 &&"
              + " int(s.substring(s.lastIndexOf(':') + 1)) <= 65535)",
      message = "spec.kafka.bootstrapServers: every port must be between 1 and 65535")
  @JsonPropertyDescription(
      "Kafka bootstrap servers, host:port[,host:port...], e.g."
          + " my-cluster-kafka-bootstrap.kafka:9092. The ports also open the NetworkPolicy egress"
          + " to Kafka.")
  public String bootstrapServers;

  @JsonPropertyDescription("SASL/SCRAM credentials from a Secret. Absent: no authentication.")
  public KafkaAuthentication authentication;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Topics of this system, one KafkaTopic each (named after the topic, owned by this "
          + "MicroserviceSystem). Names must be unique.")
  @MapList(keys = "name")
  public List<TopicSpec> topics;

  public KafkaSpec() {}

  public List<TopicSpec> topicList() {
    return topics == null ? List.of() : topics;
  }
}
