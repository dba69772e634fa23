package dev.rampart.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real gateway on loopback in front of {@link FakeUpstreams}, and a JDK HTTP client to talk to
 * it.
 */
final class GatewayHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final TestKeys keys;
  final FakeUpstreams upstreams;
  final GatewayServer gateway;
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final boolean ownsUpstreams;

  GatewayHarness(UnaryOperator<GatewayConfig> customize) {
    this(new FakeUpstreams(), true, customize);
  }

  GatewayHarness(
      FakeUpstreams upstreams, boolean ownsUpstreams, UnaryOperator<GatewayConfig> customize) {
    this(upstreams, ownsUpstreams, customize, ConfigFactory.empty());
  }

  /** {@code akka}: Akka settings over the gateway's own (e.g. shorter timeouts). */
  GatewayHarness(
      FakeUpstreams upstreams,
      boolean ownsUpstreams,
      UnaryOperator<GatewayConfig> customize,
      Config akka) {
    this.upstreams = upstreams;
    this.ownsUpstreams = ownsUpstreams;
    this.keys = new TestKeys(TestKeys.tempDir());
    this.gateway =
        GatewayServer.start(
            customize.apply(config(keys, upstreams.endpoints())), Optional.empty(), akka);
  }

  /**
   * Waits until both upstream channels have connected (a first call on a loaded machine can take
   * longer than a deadline): each answers an unknown id with 404.
   */
  GatewayHarness warmedUp() {
    String token = keys.token("warm-up");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                get("/api/users/warm-up", token).statusCode() == 404
                    && get("/api/orders/warm-up", token).statusCode() == 404);
    return this;
  }

  static GatewayConfig config(TestKeys keys, Map<String, List<GatewayConfig.HostPort>> endpoints) {
    return new GatewayConfig(
        "127.0.0.1",
        0,
        GatewayConfig.RouteTable.parse(GatewayConfig.DEFAULT_ROUTES),
        Map.of(),
        endpoints,
        keys.settings(),
        new GatewayConfig.RateLimit(10_000, 10_000),
        List.of("https://shop.example.com"),
        GatewayConfig.DEFAULT_MAX_BODY_BYTES,
        new GatewayConfig.Deadlines(Duration.ofSeconds(2), Duration.ofSeconds(5)),
        new GatewayConfig.Breaker(1_000, Duration.ofSeconds(5), 512),
        GatewayConfig.KubernetesApi.DEFAULT);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    }
  }

  HttpResponse<String> get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  HttpResponse<String> post(String path, String token, String json) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> put(String path, String token, String json) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  static String registration(String id, String name) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\""
        + name
        + "\",\"email\":\""
        + id
        + "@example.com\",\"address\":{\"street\":\"1 Main"
        + " St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"DE\"}}";
  }

  static String order(String orderId, String sku) {
    return "{\"orderId\":\""
        + orderId
        + "\",\"lines\":[{\"sku\":\""
        + sku
        + "\",\"quantity\":2,\"unitPriceCents\":1250}]}";
  }

  @Override
  public void close() {
    gateway.close();
    if (ownsUpstreams) upstreams.close();
  }
}
