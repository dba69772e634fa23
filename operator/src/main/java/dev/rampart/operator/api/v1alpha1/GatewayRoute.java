package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A path prefix the gateway forwards to one service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayRoute {
  @Required
  @Size(min = 1, max = 200)
  @Pattern("^/[-a-zA-Z0-9_./~]*$")
  @JsonPropertyDescription("Path prefix, starting with '/', e.g. /api/orders.")
  public String pathPrefix;

  @Required
  @Size(min = 1, max = 30)
  @JsonPropertyDescription("Service (from spec.services) that serves this prefix.")
  public String service;

  public GatewayRoute() {}

  public GatewayRoute(String pathPrefix, String service) {
    this.pathPrefix = pathPrefix;
    this.service = service;
  }
}
