package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Kafka SASL/SCRAM credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaAuthentication {
  @Required
  @JsonPropertyDescription(
      "Secret holding the Kafka username and password (keys given by usernameKey/passwordKey).")
  public SecretKeys secretRef;

  public KafkaAuthentication() {}
}
