package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.contract.Env;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Which bearer JWTs the gateway accepts. The gateway refuses to start without all three, hence
 * required whenever a gateway is declared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.jwksSecretRef) != has(self.jwksUri)",
    message = "spec.gateway.auth: exactly one of jwksSecretRef and jwksUri")
public class GatewayAuth {
  /** https only: keys fetched in the clear could be swapped on the way. */
  public static final String HTTPS_URL = "^https://[^\\s/?#]+([/?#]\\S*)?$";

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

  // exactly one of the two, by the CEL rule above (a schema 'required' would hide its message)
  @JsonPropertyDescription(
      "Secret with the JWKS document (the public keys that sign accepted tokens), mounted read-only"
          + " into the gateway pods. The gateway re-reads it when it changes: rotate keys by"
          + " updating the Secret, no restart. Exactly one of jwksSecretRef and jwksUri.")
  public JwksSecretRef jwksSecretRef;

  @Size(min = 1, max = 2048)
  @Pattern(HTTPS_URL)
  @JsonPropertyDescription(
      "The issuer's JWKS URL (https), instead of jwksSecretRef: fetched by the gateway, cached 5"
          + " minutes, and fetched again when a token names an unknown key (at most twice per 30"
          + " s). The gateway's NetworkPolicy admits egress to its host and port.")
  public String jwksUri;

  @Size(min = 1, max = 253)
  @Pattern("^\\S+$")
  @JsonPropertyDescription(
      "Audience of partner tokens (third parties such as the carrier posting webhooks): same"
          + " issuer and keys, accepted only on the carrier.v1 route, and customer tokens are not."
          + " Absent: the gateway's default, "
          + Env.DEFAULT_JWT_PARTNER_AUDIENCE
          + ".")
  public String partnerAudience;

  @Size(min = 1, max = 253)
  @Pattern("^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$")
  @JsonPropertyDescription(
      "Scope a partner token must carry (in its space-separated 'scope' claim) to post carrier"
          + " events. Absent: the gateway's default, "
          + Env.DEFAULT_JWT_PARTNER_SCOPE
          + ".")
  public String partnerScope;

  public GatewayAuth() {}

  public GatewayAuth(String issuer, String audience, JwksSecretRef jwksSecretRef) {
    this.issuer = issuer;
    this.audience = audience;
    this.jwksSecretRef = jwksSecretRef;
  }
}
