package dev.rampart.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP mappings the gateway publishes, one per gRPC API it turns into REST/JSON. A gateway
 * route mounts one of them at a path prefix, in front of the service that implements the API.
 */
public enum HttpApi {
  /** {@code rampart.user.v1.UserService}: register, profile, address, notification streams. */
  USERS("users.v1", "users"),
  /** {@code rampart.order.v1.OrderService}: place and read orders. */
  ORDERS("orders.v1", "orders"),
  /**
   * {@code rampart.shipping.v1.ShippingService.RecordCarrierEvent}: a carrier's webhooks, for
   * partner tokens only (their own audience and scope).
   */
  CARRIER("carrier.v1", "carrier");

  /** The ids above as one pattern, for the CRD's schema (a test keeps the two in step). */
  public static final String ID_PATTERN = "^(users\\.v1|orders\\.v1|carrier\\.v1)$";

  /** The gateway's OpenAPI document: the routed paths, as mounted. */
  public static final String OPENAPI_PATH = "/openapi.json";

  /** Paths the gateway serves itself, which no route may take. */
  public static final List<String> GATEWAY_OWN_PATHS =
      List.of(Probes.GATEWAY_ALIVE, Probes.GATEWAY_READY, Probes.METRICS, OPENAPI_PATH);

  /** The gateway's web app: its page, served at the root. */
  public static final String WEB_APP_PAGE = "/";

  /** The web app's assets, under {@code /app/<version>/}. */
  public static final String WEB_ASSETS_PREFIX = "/app";

  /**
   * Whether a route at {@code prefix} would hide a path the gateway serves itself: one of {@link
   * #GATEWAY_OWN_PATHS}, the web app's page or its assets.
   */
  public static boolean hidesGatewayPaths(String prefix) {
    return prefix.equals(WEB_APP_PAGE)
        || nested(prefix, WEB_ASSETS_PREFIX)
        || GATEWAY_OWN_PATHS.stream().anyMatch(own -> nested(prefix, own));
  }

  /**
   * The web app's paths, public like the gateway's own: the page and anything under the assets'
   * prefix (unknown ones answer 404).
   */
  public static boolean isWebAppPath(String path) {
    return path.equals(WEB_APP_PAGE) || path.startsWith(WEB_ASSETS_PREFIX + "/");
  }

  private static boolean nested(String path, String under) {
    return path.equals(under) || path.startsWith(under + "/");
  }

  private final String id;
  private final String resource;

  HttpApi(String id, String resource) {
    this.id = id;
    this.resource = resource;
  }

  /** As written in a route, e.g. {@code orders.v1}. */
  public String id() {
    return id;
  }

  /** The resource's last path segment, e.g. {@code orders} in {@code /api/orders}. */
  public String resource() {
    return resource;
  }

  public static Optional<HttpApi> byId(String id) {
    return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
  }

  /**
   * The API a route names, or else the one its prefix ends in ({@code /shop/orders} -> orders):
   * routes written before they could name one keep working.
   */
  public static Optional<HttpApi> of(String id, String pathPrefix) {
    if (id != null) return byId(id);
    String p =
        pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
    return Arrays.stream(values()).filter(a -> p.endsWith("/" + a.resource)).findFirst();
  }
}
