package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a Secret in the system's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the MicroserviceSystem's namespace.")
  public String name;

  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.SECRET_KEY)
  @JsonPropertyDescription("Key in the Secret.")
  public String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }
}
