package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the system's namespace and the key under which it holds a JWKS document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JwksSecretRef {
  public static final String DEFAULT_KEY = "jwks.json";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the MicroserviceSystem's namespace.")
  public String name;

  @Default(DEFAULT_KEY)
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.SECRET_KEY)
  @JsonPropertyDescription(
      "Key of the JWKS document (JSON, {\"keys\": [...]}) in the Secret. Default "
          + DEFAULT_KEY
          + ".")
  public String key;

  public JwksSecretRef() {}

  public JwksSecretRef(String name) {
    this.name = name;
  }

  public String keyOrDefault() {
    return key == null ? DEFAULT_KEY : key;
  }
}
