package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes come from the CR: each mounts a published mapping at any prefix, a mapping no route mounts
 * is simply absent (the gateway starts and answers 404, where it used to exit), and the OpenAPI
 * document lists the paths as mounted. Real gateway, real gRPC upstreams on loopback.
 */
class GatewayRoutesTest {
  static FakeUpstreams upstreams;
  static GatewayHarness moved;
  static GatewayHarness ordersOnly;

  @BeforeAll
  static void start() {
    upstreams = new FakeUpstreams();
    moved =
        new GatewayHarness(
            upstreams,
            false,
            c ->
                c.with(
                    x ->
                        x.routes =
                            GatewayConfig.RouteTable.parse(
                                "/shop/v2/people=user:users.v1,/shop/v2/orders=order")));
    ordersOnly =
        new GatewayHarness(
            upstreams,
            false,
            c -> c.with(x -> x.routes = GatewayConfig.RouteTable.parse("/api/orders=order")));
  }

  @AfterAll
  static void stop() {
    if (ordersOnly != null) ordersOnly.close();
    if (moved != null) moved.close();
    upstreams.close();
  }

  @Test
  void mappingsServeAtThePrefixesTheRoutesGive() {
    String token = moved.keys.token("erin");
    var registered =
        moved.post("/shop/v2/people", token, GatewayHarness.registration("erin", "Erin"));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(registered.headers().firstValue("Location")).contains("/shop/v2/people/erin");
    assertThat(moved.get("/shop/v2/people/erin", token).statusCode()).isEqualTo(200);

    var placed = moved.post("/shop/v2/orders", token, GatewayHarness.order("o-routes", "SKU-1"));
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String location = placed.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/shop/v2/orders/");
    assertThat(moved.get(location, token).statusCode()).isEqualTo(200);

    // the old prefixes are no longer the gateway's: 404 problems, not a crash or a 500
    for (String old : List.of("/api/users/erin", "/api/orders"))
      assertThat(moved.get(old, token).statusCode()).as(old).isEqualTo(404);
    assertThat(moved.get("/metrics", null).body())
        .contains("route=\"/shop/v2/orders/{id}\"")
        .contains("route=\"/shop/v2/people\"");
  }

  @Test
  void aGatewayWithoutAUsersRouteStartsAndServesOrders() {
    String token = moved.keys.token("frank");
    assertThat(
            moved
                .post("/shop/v2/people", token, GatewayHarness.registration("frank", "Frank"))
                .statusCode())
        .isEqualTo(201);
    String own = ordersOnly.keys.token("frank");
    var placed = ordersOnly.post("/api/orders", own, GatewayHarness.order("o-only", "SKU-2"));
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(placed.headers().firstValue("Location").orElseThrow()).startsWith("/api/orders/");
    var users = ordersOnly.get("/api/users/frank", own);
    assertThat(users.statusCode()).isEqualTo(404);
    assertThat(users.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(ordersOnly.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theOpenApiDocumentListsThePathsAsMounted() {
    assertThat(paths(moved))
        .contains("/shop/v2/people", "/shop/v2/people/{id}/notifications", "/shop/v2/orders/{id}")
        .doesNotContain("/api/users", "/api/orders")
        .contains("/openapi.json", "/healthz");
    assertThat(paths(ordersOnly))
        .contains("/api/orders", "/api/orders/{id}")
        .noneMatch(p -> p.contains("users"));
  }

  private static List<String> paths(GatewayHarness h) {
    var doc = h.get("/openapi.json", null);
    assertThat(doc.statusCode()).isEqualTo(200);
    List<String> paths = new ArrayList<>();
    JsonNode node = GatewayHarness.json(doc).get("paths");
    node.fieldNames().forEachRemaining(paths::add);
    return paths;
  }
}
