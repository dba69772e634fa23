package dev.rampart.operator.desired;

import dev.rampart.contract.HttpApi;
import dev.rampart.operator.api.v1alpha1.GatewayRoute;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The routes the gateway is given, and why any other is not. The CRD rejects every route left out
 * here; this catches those stored before the CRD could (validation ratcheting keeps them), so a
 * gateway is never handed a route it would refuse to start with. Pure.
 */
public record ServedRoutes(List<GatewayRoute> served, List<String> unsupported) {

  public static ServedRoutes of(GatewaySpec gateway) {
    List<GatewayRoute> served = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    Set<HttpApi> taken = EnumSet.noneOf(HttpApi.class);
    for (GatewayRoute route : gateway.routeList()) {
      var api = route.httpApi();
      if (api.isEmpty()) {
        unsupported.add(
            route.pathPrefix
                + ": names no HTTP mapping (set api to users.v1, orders.v1 or carrier.v1)");
      } else if (HttpApi.hidesGatewayPaths(route.pathPrefix)) {
        unsupported.add(route.pathPrefix + ": a path the gateway serves itself");
      } else if (!taken.add(api.get())) {
        unsupported.add(route.pathPrefix + ": " + api.get().id() + " is already routed");
      } else if (served.stream()
          .anyMatch(
              r ->
                  nested(route.pathPrefix, r.pathPrefix)
                      || nested(r.pathPrefix, route.pathPrefix))) {
        unsupported.add(route.pathPrefix + ": overlaps another route");
        taken.remove(api.get());
      } else {
        served.add(route);
      }
    }
    return new ServedRoutes(List.copyOf(served), List.copyOf(unsupported));
  }

  private static boolean nested(String path, String under) {
    return path.equals(under) || path.startsWith(under + "/");
  }
}
