package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.contract.HttpApi;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Optional;

/** A path prefix where the gateway serves one of its HTTP mappings, in front of one service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.api) || self.pathPrefix.endsWith('/users') ||"
            + " self.pathPrefix.endsWith('/orders') || self.pathPrefix.endsWith('/carrier')",
    message =
        "spec.gateway.routes[].api: set users.v1, orders.v1 or carrier.v1 where the prefix does"
            + " not end in /users, /orders or /carrier")
@ValidationRule(
    value =
        "!['/healthz', '/readyz', '/metrics', '/openapi.json', '/app'].exists(p, self.pathPrefix =="
            + " p || self.pathPrefix.startsWith(p + '/'))",
    message =
        "spec.gateway.routes[].pathPrefix: /healthz, /readyz, /metrics, /openapi.json and the web"
            + " app's /app are the gateway's own")
public class GatewayRoute {
  /** Segments of letters, digits and {@code -_~.}, no empty, dot-only or trailing segment. */
  public static final String PATH_PREFIX = "^(/[-a-zA-Z0-9_~]+(\\.[-a-zA-Z0-9_~]+)*)+$";

  @Required
  @Size(min = 2, max = 200)
  @Pattern(PATH_PREFIX)
  @JsonPropertyDescription(
      "Path prefix, e.g. /api/orders: segments of letters, digits and -_~. with no trailing"
          + " slash.")
  public String pathPrefix;

  @Required
  @Size(min = 1, max = 30)
  @JsonPropertyDescription(
      "Service (from spec.services) that serves this prefix; it must implement the API's gRPC"
          + " service.")
  public String service;

  @Pattern(HttpApi.ID_PATTERN)
  @JsonPropertyDescription(
      "The HTTP mapping served at the prefix: users.v1 (rampart.user.v1.UserService),"
          + " orders.v1 (rampart.order.v1.OrderService) or carrier.v1 (a carrier's webhooks into"
          + " rampart.shipping.v1.ShippingService, for partner tokens only; always named). Each at"
          + " most once. Absent: the one the prefix ends in (/users or /orders).")
  public String api;

  public GatewayRoute() {}

  public GatewayRoute(String pathPrefix, String service) {
    this.pathPrefix = pathPrefix;
    this.service = service;
  }

  public GatewayRoute(String pathPrefix, String service, String api) {
    this(pathPrefix, service);
    this.api = api;
  }

  /** The mapping this route serves, if the gateway publishes one by that name or prefix. */
  @JsonIgnore
  public Optional<HttpApi> httpApi() {
    return pathPrefix == null ? Optional.empty() : HttpApi.of(api, pathPrefix);
  }
}
