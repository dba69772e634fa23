package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.contract.Env;
import dev.rampart.contract.HttpApi;
import dev.rampart.contract.Ports;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the operator's environment (names from the contract). */
class GatewayConfigTest {
  static final Map<String, String> JWT =
      Map.of(
          Env.JWT_JWKS_PATH,
          "/keys/jwks.json",
          Env.JWT_ISSUER,
          "https://id/",
          Env.JWT_AUDIENCE,
          "shop");

  @Test
  void defaultsAndParsing() {
    Map<String, String> env = new java.util.HashMap<>(JWT);
    env.put(Env.POD_IP, "10.1.2.3");
    env.put(Env.GATEWAY_ROUTES, "/api/orders=order, /api/users/=user");
    env.put(Env.PEERS, "user=shop-user,order=shop-order");
    env.put(Env.PEER_ENDPOINTS, "user=127.0.0.2:8101|127.0.0.3:8101");
    env.put(Env.RATE_LIMIT_RPS, "5.5");
    env.put(Env.RATE_LIMIT_BURST, "20");
    env.put(Env.CORS_ALLOWED_ORIGINS, "https://a.example, https://b.example");
    GatewayConfig c = GatewayConfig.fromEnv(env);
    assertThat(c.httpHost()).isEqualTo("10.1.2.3");
    assertThat(c.httpPort()).isEqualTo(Ports.HTTP);
    assertThat(c.routes().routes())
        .containsExactly(
            new GatewayConfig.Route("/api/orders", "order", HttpApi.ORDERS),
            new GatewayConfig.Route("/api/users", "user", HttpApi.USERS));
    assertThat(c.peerDiscoveryNames()).containsEntry("order", "shop-order");
    assertThat(c.peerEndpoints().get("user"))
        .containsExactly(
            new GatewayConfig.HostPort("127.0.0.2", 8101),
            new GatewayConfig.HostPort("127.0.0.3", 8101));
    assertThat(c.rateLimit()).isEqualTo(new GatewayConfig.RateLimit(5.5, 20));
    assertThat(c.rateLimit().streamsPerSubject()).isEqualTo(8);
    env.put(Env.STREAMS_PER_SUBJECT, "3");
    assertThat(GatewayConfig.fromEnv(env).rateLimit().streamsPerSubject()).isEqualTo(3);
    assertThat(c.rateLimit().streamsPerPod()).isEqualTo(768);
    env.put(Env.STREAMS_PER_POD, "100");
    assertThat(GatewayConfig.fromEnv(env).rateLimit().streamsPerPod()).isEqualTo(100);
    env.put(Env.STREAMS_PER_POD, "0");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining("at least 1");
    env.remove(Env.STREAMS_PER_POD);
    assertThat(c.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.jwt().issuer()).isEqualTo("https://id/");
    assertThat(c.jwt().acceptedTypes()).containsExactly("at+jwt", "JWT");
    assertThat(c.jwt().acceptUntyped()).isFalse();
    assertThat(c.jwt().maxTokenAge()).isEmpty();
  }

  @Test
  void jwtTypesAndMaximumAge() {
    Map<String, String> env = new java.util.HashMap<>(JWT);
    env.put(Env.JWT_TYPES, "at+jwt, none");
    env.put(Env.JWT_MAX_TOKEN_AGE_SECONDS, "3600");
    GatewayConfig.JwtSettings jwt = GatewayConfig.fromEnv(env).jwt();
    assertThat(jwt.acceptedTypes()).containsExactly("at+jwt");
    assertThat(jwt.acceptUntyped()).isTrue();
    assertThat(jwt.maxTokenAge()).hasValue(java.time.Duration.ofHours(1));
    env.put(Env.JWT_TYPES, " , ");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining(Env.JWT_TYPES);
  }

  @Test
  void jwksFromAUrlInsteadOfAFile() {
    Map<String, String> env = new java.util.HashMap<>(JWT);
    env.remove(Env.JWT_JWKS_PATH);
    env.put(Env.JWT_JWKS_URI, "https://id.example.com/jwks.json");
    GatewayConfig.JwtSettings jwt = GatewayConfig.fromEnv(env).jwt();
    assertThat(jwt.jwksUri()).hasValue(java.net.URI.create("https://id.example.com/jwks.json"));
    assertThat(jwt.jwksPath()).isNull();
    env.put(Env.JWT_JWKS_PATH, "/keys/jwks.json");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining("not both");
  }

  @Test
  void badSettingsFailWithTheVariableName() {
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of()))
        .hasMessageContaining(Env.JWT_JWKS_PATH);
    Map<String, String> env = new java.util.HashMap<>(JWT);
    env.put(Env.GATEWAY_ROUTES, "api/users");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining(Env.GATEWAY_ROUTES);
    env.put(Env.GATEWAY_ROUTES, GatewayConfig.DEFAULT_ROUTES);
    env.put(Env.PEER_ENDPOINTS, "user=nohostport");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining("host:port");
    assertThat(GatewayConfig.RouteTable.parse("/api/users=user").of(HttpApi.ORDERS)).isEmpty();
    assertThat(GatewayConfig.splitList(" , ,a,, b ")).isEqualTo(List.of("a", "b"));
  }

  @Test
  void aRouteMountsOneMappingAtAnyPrefixAndNamesItOrEndsInItsResource() {
    var table = GatewayConfig.RouteTable.parse("/shop/v2/people=user:users.v1,/buy/orders=order");
    assertThat(table.of(HttpApi.USERS))
        .contains(new GatewayConfig.Route("/shop/v2/people", "user", HttpApi.USERS));
    assertThat(table.of(HttpApi.ORDERS).map(GatewayConfig.Route::prefix)).contains("/buy/orders");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/shop/carts=cart"))
        .hasMessageContaining("/shop/carts names no HTTP mapping")
        .hasMessageContaining(":users.v1 or :orders.v1");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/a=user:carts.v1"))
        .hasMessageContaining("names no HTTP mapping");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/a/users=user,/b/users=user2"))
        .hasMessageContaining("users.v1 is routed twice");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/api=user:users.v1,/api/orders=order"))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/metrics/users=user"))
        .hasMessageContaining("the gateway's own paths");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/=user:users.v1"))
        .hasMessageContaining("the gateway's own paths");
    // the web app's assets
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/app=user:users.v1"))
        .hasMessageContaining("the gateway's own paths");
    assertThatThrownBy(() -> GatewayConfig.RouteTable.parse("/app/orders=order"))
        .hasMessageContaining("the gateway's own paths");
    assertThat(GatewayConfig.RouteTable.parse("/apps/orders=order").routes()).hasSize(1);
  }

  /** The CRD's pattern for route APIs is built by hand from the enum: keep the two in step. */
  @Test
  void theCrdPatternAdmitsExactlyThePublishedMappings() {
    var pattern = java.util.regex.Pattern.compile(HttpApi.ID_PATTERN);
    for (HttpApi api : HttpApi.values()) assertThat(pattern.matcher(api.id()).matches()).isTrue();
    assertThat(pattern.matcher("users.v2").matches()).isFalse();
    assertThat(pattern.matcher("users").matches()).isFalse();
  }

  @Test
  void partnerTokensAndEgress() {
    Map<String, String> env = new java.util.HashMap<>(JWT);
    GatewayConfig defaults = GatewayConfig.fromEnv(env);
    assertThat(defaults.partners())
        .isEqualTo(new GatewayConfig.Partners("rampart-partners", "carrier.events:write"));
    assertThat(defaults.egress().endpoints()).isEmpty();
    assertThat(defaults.egress().dir()).isEqualTo(java.nio.file.Path.of("/etc/rampart/egress"));
    assertThat(defaults.egress().port()).isEqualTo(Ports.GATEWAY_EGRESS).isEqualTo(8081);
    env.put(Env.JWT_PARTNER_AUDIENCE, "carriers");
    env.put(Env.JWT_PARTNER_SCOPE, "events:write");
    env.put(Env.GATEWAY_EGRESS, "carrier=http://gw-carrier:8480, maps-2=https://maps.example/v2/");
    env.put(Env.GATEWAY_EGRESS_DIR, "/mnt/egress");
    GatewayConfig c = GatewayConfig.fromEnv(env);
    assertThat(c.partners()).isEqualTo(new GatewayConfig.Partners("carriers", "events:write"));
    assertThat(c.egress().endpoints())
        .containsEntry("carrier", java.net.URI.create("http://gw-carrier:8480"))
        .containsEntry("maps-2", java.net.URI.create("https://maps.example/v2/"));
    assertThat(c.egress().dir()).isEqualTo(java.nio.file.Path.of("/mnt/egress"));
    for (String bad :
        List.of(
            "Carrier=http://x",
            "carrier-=http://x",
            "1carrier=http://x",
            "carrier=ftp://x",
            "carrier=http://x?q=1",
            "carrier=notaurl",
            "carrier",
            "carrier=http://a,carrier=http://b")) {
      env.put(Env.GATEWAY_EGRESS, bad);
      assertThatThrownBy(() -> GatewayConfig.fromEnv(env))
          .as(bad)
          .hasMessageContaining(Env.GATEWAY_EGRESS);
    }
    assertThat(GatewayConfig.RouteTable.parse("/partners/carrier=shipping").of(HttpApi.CARRIER))
        .contains(new GatewayConfig.Route("/partners/carrier", "shipping", HttpApi.CARRIER));
  }

  @Test
  void egressUrlVariablesAsTheOperatorSetsThem() {
    assertThat(Env.egressUrl(Env.CARRIER_EGRESS))
        .isEqualTo(Env.EGRESS_CARRIER_URL)
        .isEqualTo("RAMPART_EGRESS_CARRIER_URL");
    assertThat(Env.egressUrl("parcel-post")).isEqualTo("RAMPART_EGRESS_PARCEL_POST_URL");
    assertThat(java.util.regex.Pattern.compile(Env.EGRESS_NAME_PATTERN).matcher("a-b1").matches())
        .isTrue();
  }
}
