package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.contract.Env;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.net.URI;

/**
 * An endpoint outside the system that services reach only through the gateway: the gateway forwards
 * {@code /egress/<name>/<rest>} on its internal egress port to {@code <baseUrl>/<rest>}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.caSecretRef) || self.baseUrl.startsWith('https://')",
    message = "spec.gateway.egress[].caSecretRef: a CA is only used with an https baseUrl")
@ValidationRule(
    value =
        "!isURL(self.baseUrl) || url(self.baseUrl).getPort() == ''"
            + " || int(url(self.baseUrl).getPort()) <= 65535",
    message = "spec.gateway.egress[].baseUrl: the port must be 1-65535")
public class GatewayEgress {
  /**
   * http(s), a lower-case host name or IPv4 address, an optional port, an optional path; no
   * userinfo (credentials belong in credentialsSecretRef), query or fragment.
   */
  public static final String BASE_URL =
      "^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
          + "(:[1-9][0-9]{0,4})?(/[-a-zA-Z0-9._~%!$&'()*+,;=:@/]*)?$";

  @Required
  @Size(min = 1, max = 40)
  @Pattern(Env.EGRESS_NAME_PATTERN)
  @JsonPropertyDescription(
      "Name of the endpoint, a DNS label (e.g. carrier), unique: the gateway serves it at"
          + " /egress/<name>/ and every service pod gets RAMPART_EGRESS_<NAME>_URL (upper case,"
          + " '-' as '_').")
  public String name;

  @Required
  @Size(min = 8, max = 2048)
  @Pattern(BASE_URL)
  @JsonPropertyDescription(
      "Base URL of the endpoint, http or https, e.g. https://api.carrier.example/v1; no"
          + " credentials, query or fragment. The gateway's NetworkPolicy admits egress to its"
          + " host (an in-cluster Service name by namespace, an IPv4 address by itself, any other"
          + " name by port only) on its port (default 80/443).")
  public String baseUrl;

  @JsonPropertyDescription(
      "Secret key holding the PEM CA bundle the gateway trusts for this endpoint's TLS (https"
          + " only). Absent: the JVM's default trust store.")
  public SecretKeyRef caSecretRef;

  @JsonPropertyDescription(
      "Secret key holding the whole Authorization header value the gateway sends upstream (e.g."
          + " 'Bearer <token>'), replacing the caller's. Absent: no Authorization header.")
  public SecretKeyRef credentialsSecretRef;

  public GatewayEgress() {}

  public GatewayEgress(String name, String baseUrl) {
    this.name = name;
    this.baseUrl = baseUrl;
  }

  /** The host the base URL names. */
  @JsonIgnore
  public String host() {
    return URI.create(baseUrl).getHost();
  }

  /** The base URL's port, or its scheme's (80, 443). */
  @JsonIgnore
  public int port() {
    URI uri = URI.create(baseUrl);
    if (uri.getPort() > 0) return uri.getPort();
    return "https".equals(uri.getScheme()) ? 443 : 80;
  }
}
