package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** TLS termination for the gateway's public host names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayTls {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription(
      "Secret of type kubernetes.io/tls with the certificate for the host names.")
  public String secretName;

  public GatewayTls() {}
}
