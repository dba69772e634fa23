package dev.rampart.gateway;

import java.util.regex.Pattern;

/** Maps a request path to its route template, the low-cardinality label metrics use. Pure. */
final class RouteTemplates {
  private static final Pattern USER = Pattern.compile("/api/users/[^/]+/?");
  private static final Pattern USER_SUB =
      Pattern.compile("/api/users/[^/]+/(address|notifications|events)/?");
  private static final Pattern ORDER = Pattern.compile("/api/orders/[^/]+/?");

  private RouteTemplates() {}

  static String of(String path) {
    switch (path) {
      case "/api/users",
      "/api/users/",
      "/api/orders",
      "/api/orders/",
      "/healthz",
      "/readyz",
      "/metrics",
      "/openapi.json":
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      default:
    }
    var sub = USER_SUB.matcher(path);
    if (sub.matches()) return "/api/users/{id}/" + sub.group(1);
    if (USER.matcher(path).matches()) return "/api/users/{id}";
    if (ORDER.matcher(path).matches()) return "/api/orders/{id}";
    return "unmatched";
  }

  /** The notifications WebSocket, whose token may come as a subprotocol. */
  static boolean isWebSocket(String path) {
    var sub = USER_SUB.matcher(path);
    return sub.matches() && sub.group(1).equals("notifications");
  }
}
