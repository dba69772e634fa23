package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the system's namespace holding a username and a password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeys {
  public static final String DNS_1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the MicroserviceSystem's namespace.")
  public String name;

  @Default("username")
  @Size(min = 1, max = 253)
  @Pattern(SECRET_KEY)
  @JsonPropertyDescription("Key of the username in the Secret. Default 'username'.")
  public String usernameKey;

  @Default("password")
  @Size(min = 1, max = 253)
  @Pattern(SECRET_KEY)
  @JsonPropertyDescription("Key of the password in the Secret. Default 'password'.")
  public String passwordKey;

  public SecretKeys() {}

  public SecretKeys(String name) {
    this.name = name;
  }

  public String usernameKeyOrDefault() {
    return usernameKey == null ? "username" : usernameKey;
  }

  public String passwordKeyOrDefault() {
    return passwordKey == null ? "password" : passwordKey;
  }
}
