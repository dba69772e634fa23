package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user journey through a real gateway (HTTP, WebSocket, SSE) to real gRPC upstreams on
 * loopback.
 */
class GatewayJourneyTest {
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(c -> c).warmedUp();
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
  }

  @Test
  void registerChangeAddressOrderAndReceiveShipmentNoticeOverWebSocket() throws Exception {
    String alice = "alice";
    String token = h.keys.token(alice);

    HttpResponse<String> registered =
        h.post("/api/users", token, GatewayHarness.registration(alice, "Alice"));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(registered.headers().firstValue("Location")).hasValue("/api/users/alice");
    assertThat(GatewayHarness.json(registered).get("id").asText()).isEqualTo(alice);
    // idempotent with the same data
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration(alice, "Alice")).statusCode())
        .isEqualTo(201);

    JsonNode user = GatewayHarness.json(h.get("/api/users/alice", token));
    assertThat(user.get("name").asText()).isEqualTo("Alice");
    assertThat(user.get("address").get("country").asText()).isEqualTo("DE");

    HttpResponse<String> moved =
        h.put(
            "/api/users/alice/address",
            token,
            "{\"street\":\"2 Elm"
                + " St\",\"city\":\"Shelbyville\",\"postalCode\":\"54321\",\"country\":\"FR\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    assertThat(GatewayHarness.json(moved).get("address").get("city").asText())
        .isEqualTo("Shelbyville");

    // live updates: open the WebSocket before the order is placed (the stream starts with what
    // happens next)
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        h.http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(
                h.uri("/api/users/alice/notifications")
                    .resolve(
                        "ws://127.0.0.1:" + h.gateway.port() + "/api/users/alice/notifications"),
                collector(messages))
            .get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.upstreams.users.watchers(alice) == 1);
    assertThat(GatewayHarness.json(h.get("/api/users/alice", token)).get("online").asBoolean())
        .isTrue();

    HttpResponse<String> placed =
        h.post("/api/orders", token, GatewayHarness.order("order-1", "SKU-1"));
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    JsonNode order = GatewayHarness.json(placed);
    assertThat(order.get("status").asText()).isEqualTo("PLACED");
    assertThat(order.get("totalCents").asLong()).isEqualTo(2500);
    assertThat(order.get("customerId").asText()).isEqualTo(alice);
    String orderId = order.get("id").asText(); // scoped to alice, derived from her "order-1"
    assertThat(orderId).isEqualTo(OrderIds.scoped(alice, "order-1"));
    assertThat(placed.headers().firstValue("Location")).hasValue("/api/orders/" + orderId);

    List<JsonNode> received = new ArrayList<>();
    while (received.stream().noneMatch(n -> n.get("kind").asText().equals("shipmentNotice"))) {
      String m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("notification before timeout; got " + received).isNotNull();
      received.add(GatewayHarness.JSON.readTree(m));
    }
    JsonNode notice = received.get(received.size() - 1).get("shipmentNotice");
    assertThat(notice.get("orderId").asText()).isEqualTo(orderId);
    assertThat(notice.get("status").asText()).isEqualTo("BOOKED");
    assertThat(received)
        .extracting(n -> n.get("kind").asText())
        .containsSubsequence("orderRecorded", "shipmentNotice");
    // the fake publishes the shipment notice twice (at-least-once); the relay deduplicates by id
    assertThat(messages.poll(500, TimeUnit.MILLISECONDS)).isNull();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.upstreams.users.watchers(alice) == 0);

    JsonNode fetched = GatewayHarness.json(h.get("/api/orders/" + orderId, token));
    assertThat(fetched.get("id").asText()).isEqualTo(orderId);
    assertThat(fetched.get("lines").get(0).get("sku").asText()).isEqualTo("SKU-1");
    JsonNode history = GatewayHarness.json(h.get("/api/users/alice", token));
    assertThat(history.get("orders").get(0).get("orderId").asText()).isEqualTo(orderId);
    assertThat(history.get("orderCount").asInt()).isEqualTo(1);
  }

  @Test
  void serverSentEventsCarryNotificationIdsAndSkipLastEventId() throws Exception {
    String bob = "bob";
    String token = h.keys.es256Token(bob); // ES256 is accepted as well as RS256
    assertThat(h.post("/api/users", token, GatewayHarness.registration(bob, "Bob")).statusCode())
        .isEqualTo(201);

    HttpRequest req =
        h.request("/api/users/bob/events", null)
            .header("Authorization", "Bearer " + token)
            .header("Last-Event-ID", "recorded-" + OrderIds.scoped(bob, "order-b1"))
            .GET()
            .build();
    HttpResponse<Stream<String>> sse = h.http.send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              Iterator<String> it = sse.body().iterator();
              while (it.hasNext()) lines.add(it.next());
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.upstreams.users.watchers(bob) == 1);

    assertThat(h.post("/api/orders", token, GatewayHarness.order("order-b1", "SKU-2")).statusCode())
        .isEqualTo(201);
    String shipment = "shipment-" + OrderIds.scoped(bob, "order-b1") + "-BOOKED";
    List<String> ids = new ArrayList<>();
    List<String> events = new ArrayList<>();
    while (!ids.contains(shipment)) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("SSE line before timeout; got ids " + ids).isNotNull();
      if (line.startsWith("id:")) ids.add(line.substring(3).trim());
      if (line.startsWith("event:")) events.add(line.substring(6).trim());
    }
    String more;
    while ((more = lines.poll(500, TimeUnit.MILLISECONDS)) != null)
      if (more.startsWith("id:")) ids.add(more.substring(3).trim());
    // recorded-<order> was the client's Last-Event-ID: already seen, so not sent again; the
    // duplicate
    // shipment notice is sent once
    assertThat(ids).containsExactly(shipment);
    assertThat(events).containsExactly("shipmentNotice");
    sse.body().close();
  }

  /**
   * Tokens never travel in URLs (they would land in access logs): the WebSocket takes one as the
   * {@code bearer.<token>} subprotocol next to the real one, which is the one echoed; SSE takes the
   * Authorization header.
   */
  @Test
  void streamsTakeTheTokenFromHeadersNeverFromTheUrl() throws Exception {
    String frank = "frank";
    String token = h.keys.token(frank);
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration(frank, "Frank")).statusCode())
        .isEqualTo(201);
    String ws = "ws://127.0.0.1:" + h.gateway.port() + "/api/users/frank/notifications";

    WebSocket socket =
        h.http
            .newWebSocketBuilder()
            .subprotocols(ApiRoutes.NOTIFICATIONS_SUBPROTOCOL, "bearer." + token)
            .buildAsync(java.net.URI.create(ws), collector(new LinkedBlockingQueue<>()))
            .get(10, TimeUnit.SECONDS);
    assertThat(socket.getSubprotocol()).isEqualTo(ApiRoutes.NOTIFICATIONS_SUBPROTOCOL);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.upstreams.users.watchers(frank) == 1);
    socket.abort();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.upstreams.users.watchers(frank) == 0);

    assertThat(handshakeStatus(ws, b -> b.subprotocols(ApiRoutes.NOTIFICATIONS_SUBPROTOCOL)))
        .isEqualTo(401);
    assertThat(
            handshakeStatus(
                ws,
                b ->
                    b.subprotocols(
                        ApiRoutes.NOTIFICATIONS_SUBPROTOCOL,
                        "bearer." + h.keys.token("frank") + "x")))
        .isEqualTo(401);
    assertThat(handshakeStatus(ws + "?access_token=" + token, b -> b)).isEqualTo(401);

    HttpResponse<Stream<String>> sse =
        h.http.send(
            h.request("/api/users/frank/events", token).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(sse.statusCode()).isEqualTo(200);
    sse.body().close();
    assertThat(h.get("/api/users/frank/events?access_token=" + token, null).statusCode())
        .isEqualTo(401);
    assertThat(h.get("/api/users/frank?access_token=" + token, null).statusCode()).isEqualTo(401);
  }

  /** The HTTP status of a WebSocket handshake that is expected to be refused. */
  private static int handshakeStatus(
      String uri, java.util.function.UnaryOperator<WebSocket.Builder> customize) {
    try {
      customize
          .apply(h.http.newWebSocketBuilder())
          .buildAsync(java.net.URI.create(uri), collector(new LinkedBlockingQueue<>()))
          .get(10, TimeUnit.SECONDS)
          .abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused)
        return refused.getResponse().statusCode();
      throw new AssertionError("handshake failed without an answer", e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void requestIdIsReturnedAndPropagatedToGrpcMetadata() {
    String carol = "carol";
    String token = h.keys.token(carol);
    HttpResponse<String> r =
        h.send(
            h.request("/api/users", token)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "req-carol-42")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        GatewayHarness.registration(carol, "Carol")))
                .build());
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-carol-42");
    assertThat(h.upstreams.requestIds).contains("req-carol-42");

    HttpResponse<String> generated = h.get("/api/users/carol", token);
    String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(id).hasSizeGreaterThan(10);
    assertThat(h.upstreams.requestIds).contains(id);
    // an insane request id is replaced, not echoed
    HttpResponse<String> replaced =
        h.send(
            h.request("/api/users/carol", token)
                .header("X-Request-Id", "bad id with spaces")
                .GET()
                .build());
    assertThat(replaced.headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(v -> assertThat(v).doesNotContain(" "));
  }

  @Test
  void healthReadinessAndMetrics() {
    assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(h.get("/readyz", null).statusCode()).isEqualTo(200);
    h.get("/api/users/nobody", h.keys.token("nobody"));
    HttpResponse<String> metrics = h.get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "gateway_http_requests_seconds_count{method=\"GET\",route=\"/api/users/{id}\",status=\"404\"}");
    assertThat(metrics.body()).contains("gateway_upstream_circuit_open{upstream=\"user\"} 0");
    assertThat(metrics.body())
        .contains("gateway_upstream_calls_seconds_count{outcome=\"NOT_FOUND\",upstream=\"user\"}");
    // histogram buckets (Prometheus computes the percentiles), and the JVM's metrics
    assertThat(metrics.body())
        .contains(
            "gateway_http_requests_seconds_bucket{method=\"GET\",route=\"/api/users/{id}\","
                + "status=\"404\",le=\"+Inf\"}")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
  }

  /**
   * Every path and method the OpenAPI document lists is served (no unknown-route 404, no 405, no
   * 5xx).
   */
  @Test
  void everyRouteInTheOpenApiDocumentAnswers() throws Exception {
    HttpResponse<String> doc = h.get("/openapi.json", null);
    assertThat(doc.statusCode()).isEqualTo(200);
    JsonNode openApi = GatewayHarness.json(doc);
    assertThat(openApi.get("openapi").asText()).startsWith("3.");
    String dave = "dave";
    String token = h.keys.token(dave);
    h.post("/api/users", token, GatewayHarness.registration(dave, "Dave"));
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      String path =
          p.getKey()
              .replace(
                  "{id}",
                  p.getKey().startsWith("/api/orders")
                      ? OrderIds.scoped(dave, "order-openapi")
                      : dave);
      for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next().toUpperCase();
        HttpRequest.Builder b = h.request(path, token);
        if (path.endsWith("/notifications")) {
          CompletionStage<WebSocket> ws =
              h.http
                  .newWebSocketBuilder()
                  .header("Authorization", "Bearer " + token)
                  .buildAsync(
                      java.net.URI.create("ws://127.0.0.1:" + h.gateway.port() + path),
                      collector(new LinkedBlockingQueue<>()));
          ws.toCompletableFuture().get(10, TimeUnit.SECONDS).abort();
          checked++;
          continue;
        }
        if (path.endsWith("/events")) {
          HttpResponse<Stream<String>> sse =
              h.http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
          assertThat(sse.statusCode()).as(method + " " + path).isEqualTo(200);
          sse.body().close();
          checked++;
          continue;
        }
        String body =
            method.equals("GET")
                ? null
                : path.equals("/api/orders")
                    ? GatewayHarness.order("order-openapi", "SKU-9")
                    : path.endsWith("/address")
                        ? "{\"street\":\"s\",\"city\":\"c\",\"postalCode\":\"p\",\"country\":\"DE\"}"
                        : GatewayHarness.registration(dave, "Dave");
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r =
            h.send(
                b.method(
                        method,
                        body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body))
                    .build());
        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isBetween(200, 299);
        // the metrics' route templates are the document's paths
        assertThat(
                new RouteTemplates(GatewayConfig.RouteTable.parse(GatewayConfig.DEFAULT_ROUTES))
                    .of(path))
            .isEqualTo(p.getKey());
        JsonNode documented = p.getValue().get(method.toLowerCase()).get("responses");
        assertThat(documented.has(String.valueOf(r.statusCode())))
            .as("documented status for " + method + " " + path)
            .isTrue();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(11);
  }

  static WebSocket.Listener collector(BlockingQueue<String> into) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          into.add(partial.toString());
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    };
  }
}
