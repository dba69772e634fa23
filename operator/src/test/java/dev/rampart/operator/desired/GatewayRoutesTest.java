package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.GatewayRoute;
import dev.rampart.operator.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayRoutesTest {
  @Test
  void urlIsHttpsWithTlsHttpWithoutAndTheServiceWithoutHostnames() {
    var shop = Samples.shop("prod");
    var gateway = shop.getSpec().gateway;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("https://shop.example.com");
    gateway.tls = null;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("http://shop.example.com");
    gateway.hostnames = null;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("http://shop-gateway.prod.svc:80");
  }

  @Test
  void httpRouteSpellsOutWhatTheServerWouldDefault() {
    var shop = Samples.shop("prod");
    var route = GatewayRoutes.httpRoute(shop, shop.getSpec().gateway);
    var parent = route.getSpec().getParentRefs().get(0);
    assertThat(parent.getGroup()).isEqualTo("gateway.networking.k8s.io");
    assertThat(parent.getKind()).isEqualTo("Gateway");
    var backend = route.getSpec().getRules().get(0).getBackendRefs().get(0);
    assertThat(backend.getKind()).isEqualTo("Service");
    assertThat(backend.getWeight()).isEqualTo(1);
  }

  @Test
  void ingressWithoutHostnamesHasOneHostlessRule() {
    var shop = Samples.shop("prod");
    shop.getSpec().gateway.hostnames = null;
    shop.getSpec().gateway.tls = null;
    var ingress = GatewayRoutes.ingress(shop, shop.getSpec().gateway);
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(r -> assertThat(r.getHost()).isNull());
    assertThat(ingress.getSpec().getTls()).isEmpty();
  }

  /**
   * Every served prefix, and the OpenAPI document (exactly) so clients can read it from outside.
   */
  @Test
  void bothRoutesCarryTheServedPrefixesAndTheOpenApiDocument() {
    var shop = Samples.shop("prod");
    shop.getSpec().gateway.routes.add(new GatewayRoute("/shop/carts", "order"));
    var matches =
        GatewayRoutes.httpRoute(shop, shop.getSpec().gateway)
            .getSpec()
            .getRules()
            .get(0)
            .getMatches();
    assertThat(matches)
        .extracting(m -> m.getPath().getType() + " " + m.getPath().getValue())
        .containsExactly(
            "PathPrefix /api/orders",
            "PathPrefix /api/users",
            "Exact /openapi.json",
            "Exact /",
            "PathPrefix /app");
    assertThat(
            GatewayRoutes.ingress(shop, shop.getSpec().gateway)
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths())
        .extracting(p -> p.getPathType() + " " + p.getPath())
        .containsExactly(
            "Prefix /api/orders",
            "Prefix /api/users",
            "Exact /openapi.json",
            "Exact /",
            "Prefix /app");
  }

  @Test
  void onlyRoutesWithOneMappingEachAndNoOverlapAreServed() {
    var gateway = Samples.shop("prod").getSpec().gateway;
    gateway.routes =
        new java.util.ArrayList<>(
            List.of(
                new GatewayRoute("/api/orders", "order"),
                new GatewayRoute("/v2/shop", "order", "orders.v1"),
                new GatewayRoute("/api/orders/people", "user", "users.v1"),
                new GatewayRoute("/metrics", "user", "users.v1"),
                new GatewayRoute("/app/users", "user", "users.v1"),
                new GatewayRoute("/people", "user", "users.v1")));
    var routes = ServedRoutes.of(gateway);
    assertThat(routes.served())
        .extracting(r -> r.pathPrefix)
        .containsExactly("/api/orders", "/people");
    assertThat(routes.unsupported())
        .containsExactly(
            "/v2/shop: orders.v1 is already routed",
            "/api/orders/people: overlaps another route",
            "/metrics: a path the gateway serves itself",
            "/app/users: a path the gateway serves itself");
    assertThat(GatewayDeployment.routes(gateway))
        .isEqualTo("/api/orders=order:orders.v1,/people=user:users.v1");
  }
}
