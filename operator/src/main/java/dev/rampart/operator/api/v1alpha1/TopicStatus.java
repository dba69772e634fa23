package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One KafkaTopic as Strimzi's topic operator reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TopicStatus {
  @JsonPropertyDescription("Topic name.")
  public String name;

  @JsonPropertyDescription("Whether the KafkaTopic's Ready condition is True.")
  public Boolean ready;

  @JsonPropertyDescription(
      "Why it is not ready, from Strimzi's condition (or that nobody reported yet).")
  public String message;

  public TopicStatus() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicStatus t
        && Objects.equals(name, t.name)
        && Objects.equals(ready, t.ready)
        && Objects.equals(message, t.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, ready, message);
  }
}
