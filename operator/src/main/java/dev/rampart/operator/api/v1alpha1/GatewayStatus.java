package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The gateway as observed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayStatus {
  @JsonPropertyDescription(
      "Where clients reach the system: https://<first hostname> with TLS, http:// without; "
          + "the in-cluster Service URL when no host name is declared.")
  public String url;

  @JsonPropertyDescription("HTTPRoute (Gateway API) or Ingress.")
  public String routeKind;

  @JsonPropertyDescription("Desired gateway pods.")
  public Integer replicas;

  @JsonPropertyDescription("Ready gateway pods.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Whether every gateway pod is ready.")
  public Boolean ready;

  public GatewayStatus() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayStatus g
        && Objects.equals(url, g.url)
        && Objects.equals(routeKind, g.routeKind)
        && Objects.equals(replicas, g.replicas)
        && Objects.equals(readyReplicas, g.readyReplicas)
        && Objects.equals(ready, g.ready);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, routeKind, replicas, readyReplicas, ready);
  }
}
