package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Which bearer JWTs the gateway accepts. The gateway refuses to start without all three, hence
 * required whenever a gateway is declared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayAuth {
  public static final String URL = "^https?://[^\\s/?#]+([/?#]\\S*)?$";

  @Required
  @Size(min = 1, max = 512)
  @Pattern(URL)
  @JsonPropertyDescription(
      "Issuer of accepted tokens, an http(s) URL compared exactly with the token's 'iss' claim "
          + "(mind the trailing slash), e.g. https://id.example.com/.")
  public String issuer;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^\\S+$")
  @JsonPropertyDescription("Audience accepted tokens must name in their 'aud' claim, e.g. shop.")
  public String audience;

  @Required
  @JsonPropertyDescription(
      "Secret with the JWKS document (the public keys that sign accepted tokens), mounted read-only"
          + " into the gateway pods. The gateway re-reads it when it changes: rotate keys by"
          + " updating the Secret, no restart.")
  public JwksSecretRef jwksSecretRef;

  public GatewayAuth() {}

  public GatewayAuth(String issuer, String audience, JwksSecretRef jwksSecretRef) {
    this.issuer = issuer;
    this.audience = audience;
    this.jwksSecretRef = jwksSecretRef;
  }
}
