package dev.rampart.gateway;

import dev.rampart.contract.HttpApi;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request path to its route template, the low-cardinality label metrics and access logs use,
 * for the prefixes the routes mount. Pure.
 */
final class RouteTemplates {
  private record Template(Pattern path, String template) {}

  private final List<Template> templates = new ArrayList<>();
  private final List<Pattern> webSockets = new ArrayList<>();

  RouteTemplates(GatewayConfig.RouteTable table) {
    for (String own : HttpApi.GATEWAY_OWN_PATHS) add(Pattern.quote(own), own);
    add(Pattern.quote(HttpApi.WEB_APP_PAGE), HttpApi.WEB_APP_PAGE);
    add(
        Pattern.quote(HttpApi.WEB_ASSETS_PREFIX + "/") + ".*",
        HttpApi.WEB_ASSETS_PREFIX + "/{asset}");
    for (GatewayConfig.Route route : table.routes()) {
      String p = Pattern.quote(route.prefix());
      add(p + "/?", route.prefix());
      if (route.api() == HttpApi.USERS) {
        add(p + "/[^/]+/(address|notifications|events)/?", route.prefix() + "/{id}/$1");
        webSockets.add(Pattern.compile(p + "/[^/]+/notifications/?"));
      }
      if (route.api() == HttpApi.CARRIER)
        add(p + "/v1/shipments/[^/]+/events/?", route.prefix() + "/v1/shipments/{id}/events");
      add(p + "/[^/]+/?", route.prefix() + "/{id}");
    }
  }

  private void add(String regex, String template) {
    templates.add(new Template(Pattern.compile(regex), template));
  }

  String of(String path) {
    for (Template t : templates) {
      Matcher m = t.path().matcher(path);
      if (m.matches()) return m.groupCount() == 0 ? t.template() : m.replaceFirst(t.template());
    }
    return "unmatched";
  }

  /** The notifications WebSocket, whose token may come as a subprotocol. */
  boolean isWebSocket(String path) {
    return webSockets.stream().anyMatch(p -> p.matcher(path).matches());
  }
}
