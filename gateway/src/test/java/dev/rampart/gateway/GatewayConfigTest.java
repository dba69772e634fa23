package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.contract.Env;
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
    assertThat(c.routes().serviceFor(GatewayConfig.USERS_PREFIX)).isEqualTo("user");
    assertThat(c.routes().serviceFor(GatewayConfig.ORDERS_PREFIX)).isEqualTo("order");
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
    assertThatThrownBy(
            () ->
                GatewayConfig.RouteTable.parse("/api/users=user")
                    .serviceFor(GatewayConfig.ORDERS_PREFIX))
        .hasMessageContaining(GatewayConfig.ORDERS_PREFIX);
    assertThat(GatewayConfig.splitList(" , ,a,, b ")).isEqualTo(List.of("a", "b"));
  }
}
