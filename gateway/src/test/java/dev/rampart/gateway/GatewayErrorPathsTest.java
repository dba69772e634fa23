package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.grpc.Status;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error path of the gateway, asserted on status and RFC 9457 body, over real HTTP and gRPC.
 */
class GatewayErrorPathsTest {
  static GatewayHarness h;
  static String alice;
  static String bob;
  static String bobsOrderId;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(c -> c).warmedUp();
    alice = h.keys.token("alice");
    bob = h.keys.token("bob");
    assertThat(
            h.post("/api/users", alice, GatewayHarness.registration("alice", "Alice")).statusCode())
        .isEqualTo(201);
    assertThat(h.post("/api/users", bob, GatewayHarness.registration("bob", "Bob")).statusCode())
        .isEqualTo(201);
    HttpResponse<String> bobsOrder =
        h.post("/api/orders", bob, GatewayHarness.order("bobs-order", "SKU-1"));
    assertThat(bobsOrder.statusCode()).isEqualTo(201);
    bobsOrderId = GatewayHarness.json(bobsOrder).get("id").asText();
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
  }

  static JsonNode problem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = GatewayHarness.json(r);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("type").asText()).isEqualTo(Problem.TYPE_BASE + type);
    assertThat(p.get("title").asText()).isNotBlank();
    return p;
  }

  // --- 401
  // ------------------------------------------------------------------------------------------------

  @Test
  void missingOrMalformedCredentialsAre401() {
    HttpResponse<String> none = h.get("/api/users/alice", null);
    problem(none, 401, "unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    problem(
        h.send(
            h.request("/api/users/alice", null)
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                .GET()
                .build()),
        401,
        "unauthorized");
    problem(h.get("/api/users/alice", "not.a.jwt"), 401, "unauthorized");
    problem(h.get("/api/users/alice", "garbage"), 401, "unauthorized");
    problem(h.post("/api/users", null, GatewayHarness.registration("x", "X")), 401, "unauthorized");
  }

  @Test
  void tokensFailingAnyCheckAre401() throws Exception {
    Instant now = Instant.now();
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put(
        "expired beyond skew",
        TestKeys.rs256(
            TestKeys.claims("alice", c -> c.expirationTime(Date.from(now.minusSeconds(120)))),
            h.keys.rsa));
    bad.put(
        "not yet valid",
        TestKeys.rs256(
            TestKeys.claims("alice", c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))),
            h.keys.rsa));
    bad.put(
        "wrong issuer",
        TestKeys.rs256(
            TestKeys.claims("alice", c -> c.issuer("https://evil.example/")), h.keys.rsa));
    bad.put(
        "wrong audience",
        TestKeys.rs256(TestKeys.claims("alice", c -> c.audience("someone-else")), h.keys.rsa));
    bad.put("no subject", TestKeys.rs256(TestKeys.claims(null, c -> {}), h.keys.rsa));
    bad.put(
        "no expiry",
        TestKeys.rs256(TestKeys.claims("alice", c -> c.expirationTime(null)), h.keys.rsa));
    bad.put(
        "forged (same kid, other key)",
        TestKeys.rs256(TestKeys.claims("alice", c -> {}), h.keys.forgedRsa));
    bad.put("alg none", new PlainJWT(TestKeys.claims("alice", c -> {})).serialize());
    bad.put(
        "HS256 with a guessed secret",
        TestKeys.sign(
            TestKeys.claims("alice", c -> {}),
            JWSAlgorithm.HS256,
            "rsa-1",
            new MACSigner("0123456789abcdef0123456789abcdef")));
    String valid = h.keys.token("alice");
    bad.put(
        "tampered payload",
        valid.substring(0, valid.indexOf('.') + 1)
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(TestKeys.claims("bob", c -> {}).toString().getBytes())
            + valid.substring(valid.lastIndexOf('.')));
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpResponse<String> r = h.get("/api/users/alice", e.getValue());
      assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(401);
      // one generic detail: the JWT library's reason (which may name the expected issuer) is logged
      assertThat(problem(r, 401, "unauthorized").get("detail").asText())
          .as(e.getKey())
          .isEqualTo("the bearer token is not valid");
      assertThat(r.body()).doesNotContain(TestKeys.ISSUER, TestKeys.AUDIENCE, "evil");
    }
    // expiry within the allowed clock skew is still accepted
    String slightlyExpired =
        TestKeys.rs256(
            TestKeys.claims("alice", c -> c.expirationTime(Date.from(now.minusSeconds(10)))),
            h.keys.rsa);
    assertThat(h.get("/api/users/alice", slightlyExpired).statusCode()).isEqualTo(200);
  }

  @Test
  void typMustBeAtJwtOrJwtByDefault() {
    JWTClaimsSet claims = TestKeys.claims("alice", c -> {});
    assertThat(
            h.get(
                    "/api/users/alice",
                    TestKeys.typed(claims, new JOSEObjectType("at+jwt"), h.keys.rsa))
                .statusCode())
        .isEqualTo(200); // RFC 9068 access token
    assertThat(h.get("/api/users/alice", TestKeys.typed(claims, JOSEObjectType.JWT, h.keys.rsa)))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(200));
    for (JOSEObjectType refused :
        new JOSEObjectType[] {null, JOSEObjectType.JOSE, new JOSEObjectType("id+jwt")}) {
      HttpResponse<String> r =
          h.get("/api/users/alice", TestKeys.typed(claims, refused, h.keys.rsa));
      assertThat(r.statusCode()).as("typ " + refused).isEqualTo(401);
      problem(r, 401, "unauthorized");
    }
  }

  @Test
  void aSubjectThatIsNoUserIdIs401() {
    for (String sub : List.of("bad id", "x".repeat(65), "../bob", "a/b", "", "ali\nce")) {
      HttpResponse<String> r =
          h.get("/api/users/alice", TestKeys.rs256(TestKeys.claims(sub, c -> {}), h.keys.rsa));
      assertThat(r.statusCode()).as("sub '" + sub + "': " + r.body()).isEqualTo(401);
      assertThat(problem(r, 401, "unauthorized").get("detail").asText())
          .isEqualTo("the bearer token is not valid");
    }
  }

  @Test
  void configuredTypesAndAMaximumTokenAge() {
    try (GatewayHarness g =
        new GatewayHarness(
                h.upstreams,
                false,
                c ->
                    c.with(
                        x ->
                            x.jwt =
                                new GatewayConfig.JwtSettings(
                                    c.jwt().jwksPath(),
                                    c.jwt().issuer(),
                                    c.jwt().audience(),
                                    c.jwt().maxClockSkew(),
                                    List.of("JWT"),
                                    true,
                                    java.util.Optional.of(Duration.ofSeconds(60)))))
            .warmedUp()) {
      Instant now = Instant.now();
      JWTClaimsSet fresh = TestKeys.claims("alice", c -> {});
      // untyped accepted because configured; at+jwt is not in this list
      assertThat(g.get("/api/users/alice", TestKeys.typed(fresh, null, g.keys.rsa)).statusCode())
          .isEqualTo(200);
      assertThat(
              g.get(
                      "/api/users/alice",
                      TestKeys.typed(fresh, new JOSEObjectType("at+jwt"), g.keys.rsa))
                  .statusCode())
          .isEqualTo(401);
      Map<String, Integer> byIat = new java.util.LinkedHashMap<>();
      byIat.put("issued 40 s ago", 200);
      byIat.put("issued 120 s ago (older than 60 s + 30 s skew)", 401);
      byIat.put("no iat", 401);
      byIat.put("issued in 10 minutes", 401);
      Map<String, Date> iat =
          Map.of(
              "issued 40 s ago", Date.from(now.minusSeconds(40)),
              "issued 120 s ago (older than 60 s + 30 s skew)", Date.from(now.minusSeconds(120)),
              "issued in 10 minutes", Date.from(now.plusSeconds(600)));
      for (Map.Entry<String, Integer> e : byIat.entrySet()) {
        String token =
            TestKeys.rs256(
                TestKeys.claims("alice", c -> c.issueTime(iat.get(e.getKey()))), g.keys.rsa);
        HttpResponse<String> r = g.get("/api/users/alice", token);
        assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(e.getValue());
      }
    }
  }

  // --- 403
  // ------------------------------------------------------------------------------------------------

  @Test
  void usersMayOnlyTouchTheirOwnData() throws Exception {
    problem(h.get("/api/users/bob", alice), 403, "forbidden");
    problem(
        h.put(
            "/api/users/bob/address",
            alice,
            "{\"street\":\"s\",\"city\":\"c\",\"postalCode\":\"p\",\"country\":\"DE\"}"),
        403,
        "forbidden");
    problem(
        h.post("/api/users", alice, GatewayHarness.registration("bob", "Bob")), 403, "forbidden");
    problem(
        h.post(
            "/api/orders",
            alice,
            "{\"orderId\":\"o-x\",\"customerId\":\"bob\","
                + "\"lines\":[{\"sku\":\"a\",\"quantity\":1,\"unitPriceCents\":1}]}"),
        403,
        "forbidden");
    problem(h.get("/api/users/bob/events", alice), 403, "forbidden");
    ExecutionException ws =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                h.http
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + alice)
                    .buildAsync(
                        URI.create(
                            "ws://127.0.0.1:" + h.gateway.port() + "/api/users/bob/notifications"),
                        GatewayJourneyTest.collector(new LinkedBlockingQueue<>()))
                    .get(10, TimeUnit.SECONDS));
    assertThat(ws.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) ws.getCause()).getResponse().statusCode())
        .isEqualTo(403);
  }

  // --- no oracles
  // ----------------------------------------------------------------------------------------

  @Test
  void anotherCustomersOrderAnswersExactlyLikeAMissingOne() {
    HttpResponse<String> others = h.get("/api/orders/" + bobsOrderId, alice);
    HttpResponse<String> missing = h.get("/api/orders/" + "x".repeat(43), alice);
    JsonNode othersProblem = problem(others, 404, "not-found");
    JsonNode missingProblem = problem(missing, 404, "not-found");
    assertThat(othersProblem.get("detail")).isEqualTo(missingProblem.get("detail"));
    assertThat(othersProblem.get("title")).isEqualTo(missingProblem.get("title"));
    assertThat(othersProblem.size()).isEqualTo(missingProblem.size());
    // the owner still sees it
    assertThat(h.get("/api/orders/" + bobsOrderId, bob).statusCode()).isEqualTo(200);
  }

  @Test
  void orderIdsAreScopedToTheCustomerSoNoOneCanTakeOrProbeAnothersId() {
    // the same client orderId as bob's, with the same and with other content: alice's own orders
    HttpResponse<String> same =
        h.post("/api/orders", alice, GatewayHarness.order("bobs-order", "SKU-1"));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(201);
    String alicesId = GatewayHarness.json(same).get("id").asText();
    assertThat(alicesId).isNotEqualTo(bobsOrderId);
    assertThat(GatewayHarness.json(same).get("customerId").asText()).isEqualTo("alice");
    assertThat(same.headers().firstValue("Location")).hasValue("/api/orders/" + alicesId);
    HttpResponse<String> again =
        h.post("/api/orders", alice, GatewayHarness.order("bobs-order", "SKU-1"));
    assertThat(GatewayHarness.json(again).get("id").asText()).isEqualTo(alicesId); // idempotent
    // bob's order is untouched
    assertThat(GatewayHarness.json(h.get("/api/orders/" + bobsOrderId, bob)).get("customerId"))
        .hasToString("\"bob\"");
    // reusing one's own key with other content is a conflict, with no upstream text
    JsonNode conflict =
        problem(
            h.post("/api/orders", alice, GatewayHarness.order("bobs-order", "SKU-2")),
            409,
            "conflict");
    assertThat(conflict.get("detail").asText()).doesNotContain("bobs-order", alicesId, "content");
  }

  @Test
  void noServerHeaderIsSent() {
    assertThat(h.get("/healthz", null).headers().firstValue("Server")).isEmpty();
    assertThat(h.get("/api/users/alice", alice).headers().firstValue("Server")).isEmpty();
    assertThat(h.get("/nope", null).headers().firstValue("Server")).isEmpty();
  }

  // --- 400, 413, 415, 404, 405
  // ----------------------------------------------------------------------------

  @Test
  void invalidInputIs400WithEveryFieldNamed() {
    JsonNode p =
        problem(
            h.post(
                "/api/users",
                alice,
                "{\"name\":\"\",\"email\":\"nope\",\"address\":{\"street\":42,\"city\":\"c\","
                    + "\"postalCode\":\"p\",\"country\":\"Germany\"},\"admin\":true}"),
            400,
            "validation");
    assertThat(p.get("errors").findValuesAsText("pointer"))
        .contains("/name", "/email", "/address/street", "/address/country", "/admin");

    JsonNode q =
        problem(
            h.post(
                "/api/orders",
                alice,
                "{\"orderId\":\"bad"
                    + " id!\",\"lines\":[{\"sku\":\"a\",\"quantity\":1e400,\"unitPriceCents\":-1},"
                    + "{\"sku\":\"b\",\"quantity\":99999999999999999999999,\"unitPriceCents\":\"12\"},7]}"),
            400,
            "validation");
    assertThat(q.get("errors").findValuesAsText("pointer"))
        .contains(
            "/orderId",
            "/lines/0/quantity",
            "/lines/0/unitPriceCents",
            "/lines/1/quantity",
            "/lines/1/unitPriceCents",
            "/lines/2");
    problem(h.post("/api/orders", alice, "{\"orderId\":\"o1\",\"lines\":[]}"), 400, "validation");
    problem(
        h.post("/api/orders", alice, "{\"orderId\":\"o1\",\"lines\":\"many\"}"), 400, "validation");

    problem(h.post("/api/users", alice, "{\"name\": \"x\""), 400, "invalid-request");
    problem(h.post("/api/users", alice, "[1,2,3]"), 400, "invalid-request");
    problem(h.post("/api/users", alice, "{\"name\":\"a\",\"name\":\"b\"}"), 400, "invalid-request");
    problem(h.post("/api/users", alice, "{} {}"), 400, "invalid-request");
    problem(h.post("/api/users", alice, ""), 400, "invalid-request");
    problem(h.post("/api/users", alice, "[".repeat(50_000)), 400, "invalid-request");
    problem(h.get("/api/users/" + "x".repeat(65), alice), 400, "validation");
    problem(h.get("/api/users/bad%20id", alice), 400, "validation");
  }

  @Test
  void oversizedBodyIs413AndWrongMediaTypeIs415() {
    String huge = "{\"name\":\"" + "a".repeat(200_000) + "\"}";
    problem(h.post("/api/users", alice, huge), 413, "payload-too-large");
    problem(
        h.send(
            h.request("/api/users", alice)
                .header("Content-Type", "text/plain")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        GatewayHarness.registration("alice", "Alice")))
                .build()),
        415,
        "unsupported-media-type");
    problem(
        h.send(
            h.request("/api/users", alice).POST(HttpRequest.BodyPublishers.ofString("{}")).build()),
        415,
        "unsupported-media-type");
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405AsProblems() {
    problem(h.get("/nope", null), 404, "unknown-route");
    problem(h.get("/api/unknown", alice), 404, "unknown-route");
    problem(h.get("/api/users/alice/address/extra", alice), 404, "unknown-route");
    problem(h.send(h.request("/api/users/alice", alice).DELETE().build()), 405, "http-405");
    problem(
        h.get("/api/users/alice/notifications", alice), 400, "http-400"); // not a WebSocket upgrade
  }

  // --- gRPC status -> HTTP
  // ---------------------------------------------------------------------------------

  @Test
  void grpcStatusesMapToHttp() {
    String carl = h.keys.token("carl");
    problem(h.get("/api/users/carl", carl), 404, "not-found"); // NOT_FOUND
    JsonNode precondition =
        problem(
            h.post("/api/orders", carl, GatewayHarness.order("carls", "SKU")),
            422,
            "precondition-failed"); // FAILED_PRECONDITION
    assertThat(precondition.get("detail").asText()).doesNotContain("carl", "customer");
    JsonNode conflict =
        problem(
            h.post("/api/users", alice, GatewayHarness.registration("alice", "Alicia")),
            409,
            "conflict"); // ALREADY_EXISTS
    assertThat(conflict.get("detail").asText()).doesNotContain("alice");
    JsonNode invalid =
        problem(
            h.post(
                "/api/orders",
                alice,
                GatewayHarness.order("disc", FakeOrderService.DISCONTINUED_SKU)),
            400,
            "invalid-request");
    assertThat(invalid.get("detail").asText())
        .doesNotContain("discontinued", "sku"); // upstream descriptions stay in the logs
    assertThat(problem(h.get("/api/orders/never-placed", alice), 404, "not-found").get("detail"))
        .hasToString("\"no such resource\"");

    h.upstreams.users.faults.put(
        "unavailable", new FakeUserService.Fault(Status.UNAVAILABLE, null));
    h.upstreams.users.faults.put("broken", new FakeUserService.Fault(Status.INTERNAL, null));
    h.upstreams.users.faults.put("slow", new FakeUserService.Fault(null, Duration.ofSeconds(8)));
    HttpResponse<String> unavailable = h.get("/api/users/unavailable", h.keys.token("unavailable"));
    problem(unavailable, 503, "upstream-unavailable");
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode internal =
        problem(h.get("/api/users/broken", h.keys.token("broken")), 502, "upstream-error");
    assertThat(internal.get("detail").asText())
        .doesNotContain("injected"); // no upstream internals leak
    long start = System.nanoTime();
    problem(
        h.get("/api/users/slow", h.keys.token("slow")),
        504,
        "upstream-timeout"); // DEADLINE_EXCEEDED
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(Duration.ofSeconds(6)); // read deadline 2 s, upstream takes 8 s
  }

  @Test
  void circuitBreakerOpensPerUpstreamAndAnswers503() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    int dead = deadPort;
    try (GatewayHarness g =
        new GatewayHarness(
            h.upstreams,
            false,
            c ->
                c.with(x -> x.breaker = new GatewayConfig.Breaker(3, Duration.ofSeconds(30), 512))
                    .withEndpoints(
                        "user", List.of(new GatewayConfig.HostPort("127.0.0.1", dead))))) {
      String token = g.keys.token("alice");
      for (int i = 0; i < 3; i++)
        problem(g.get("/api/users/alice", token), 503, "upstream-unavailable");
      HttpResponse<String> open = g.get("/api/users/alice", token);
      problem(open, 503, "circuit-open");
      assertThat(open.headers().firstValue("Retry-After")).isPresent();
      problem(g.get("/api/users/alice/events", token), 503, "circuit-open");
      assertThat(g.get("/metrics", null).body())
          .contains("gateway_upstream_circuit_open{upstream=\"user\"} 1");
      // the other upstream has its own breaker and still serves
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> g.get("/api/orders/never-placed", token).statusCode() == 404);
    }
  }

  @Test
  void bulkheadAnswers503AtOnceWhenTooManyCallsWaitOnAnUpstream() throws Exception {
    h.upstreams.users.faults.put(
        "sluggish", new FakeUserService.Fault(null, Duration.ofSeconds(4)));
    try (GatewayHarness g =
        new GatewayHarness(
                h.upstreams,
                false,
                c ->
                    c.with(
                        x ->
                            x.breaker = new GatewayConfig.Breaker(1_000, Duration.ofSeconds(5), 1)))
            .warmedUp()) {
      String token = g.keys.token("sluggish");
      var slow =
          g.http.sendAsync(
              g.request("/api/users/sluggish", token).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                HttpResponse<String> r = g.get("/api/users/sluggish", token);
                return r.statusCode() == 503 && r.body().contains("upstream-overloaded");
              });
      HttpResponse<String> shed = g.get("/api/users/alice", g.keys.token("alice"));
      // the detail does not reveal the capacity
      assertThat(problem(shed, 503, "upstream-overloaded").get("detail").asText())
          .doesNotContainPattern("[0-9]");
      assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
      problem(slow.get(20, TimeUnit.SECONDS), 504, "upstream-timeout");
      // the slot is free again
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> g.get("/api/users/alice", g.keys.token("alice")).statusCode() == 200);
    }
  }

  // --- 429, CORS
  // --------------------------------------------------------------------------------------------

  @Test
  void rateLimitPerClientAnswers429WithRetryAfter() {
    try (GatewayHarness g =
        new GatewayHarness(
            h.upstreams,
            false,
            c -> c.with(x -> x.rateLimit = new GatewayConfig.RateLimit(0.2, 3)))) {
      g.warmedUp();
      String token = g.keys.token("alice");
      for (int i = 0; i < 3; i++)
        assertThat(g.get("/api/users/alice", token).statusCode()).isEqualTo(200);
      HttpResponse<String> limited = g.get("/api/users/alice", token);
      problem(limited, 429, "rate-limited");
      assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1, 5);
      // another client has its own bucket
      assertThat(g.get("/api/users/bob", g.keys.token("bob")).statusCode()).isEqualTo(200);
      // health is not rate limited
      assertThat(g.get("/healthz", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theNinthOpenStreamOfOneSubjectIs429() throws Exception {
    String gina = h.keys.token("gina");
    URI ws = URI.create("ws://127.0.0.1:" + h.gateway.port() + "/api/users/gina/notifications");
    List<HttpResponse<java.util.stream.Stream<String>>> events = new java.util.ArrayList<>();
    List<java.net.http.WebSocket> sockets = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        events.add(sse("/api/users/gina/events", gina));
        assertThat(events.get(i).statusCode()).isEqualTo(200);
        sockets.add(
            h.http
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + gina)
                .buildAsync(ws, GatewayJourneyTest.collector(new LinkedBlockingQueue<>()))
                .get(10, TimeUnit.SECONDS));
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> h.upstreams.users.watchers("gina") == 8);
      problem(h.get("/api/users/gina/events", gina), 429, "too-many-streams");
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  h.http
                      .newWebSocketBuilder()
                      .header("Authorization", "Bearer " + gina)
                      .buildAsync(ws, GatewayJourneyTest.collector(new LinkedBlockingQueue<>()))
                      .get(10, TimeUnit.SECONDS));
      assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
          .isEqualTo(429);
      // the cap is per subject
      HttpResponse<java.util.stream.Stream<String>> alices = sse("/api/users/alice/events", alice);
      assertThat(alices.statusCode()).isEqualTo(200);
      alices.body().close();
      // a closed stream gives its slot back
      sockets.remove(0).abort();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                HttpResponse<java.util.stream.Stream<String>> r =
                    sse("/api/users/gina/events", gina);
                if (r.statusCode() != 200) r.body().close();
                else events.add(r);
                return r.statusCode() == 200;
              });
    } finally {
      events.forEach(e -> e.body().close());
      sockets.forEach(java.net.http.WebSocket::abort);
    }
  }

  @Test
  void streamsBeyondThePodsCapAre429WhateverTheSubject() throws Exception {
    try (GatewayHarness g =
        new GatewayHarness(
            h.upstreams,
            false,
            c -> c.with(x -> x.rateLimit = new GatewayConfig.RateLimit(10_000, 10_000, 8, 3)))) {
      g.warmedUp();
      List<HttpResponse<java.util.stream.Stream<String>>> open = new java.util.ArrayList<>();
      java.net.http.WebSocket podA =
          g.http
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + g.keys.token("pod-a"))
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:" + g.gateway.port() + "/api/users/pod-a/notifications"),
                  GatewayJourneyTest.collector(new LinkedBlockingQueue<>()))
              .get(10, TimeUnit.SECONDS);
      try {
        for (String user : List.of("pod-b", "pod-c")) {
          open.add(
              g.http.send(
                  g.request("/api/users/" + user + "/events", g.keys.token(user)).GET().build(),
                  HttpResponse.BodyHandlers.ofLines()));
          assertThat(open.get(open.size() - 1).statusCode()).isEqualTo(200);
        }
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    h.upstreams.users.watchers("pod-a") == 1
                        && h.upstreams.users.watchers("pod-c") == 1);
        HttpResponse<String> refused = g.get("/api/users/pod-d/events", g.keys.token("pod-d"));
        problem(refused, 429, "too-many-streams");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        // a closed stream gives the pod its slot back
        podA.abort();
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  HttpResponse<java.util.stream.Stream<String>> r =
                      g.http.send(
                          g.request("/api/users/pod-d/events", g.keys.token("pod-d")).GET().build(),
                          HttpResponse.BodyHandlers.ofLines());
                  if (r.statusCode() != 200) r.body().close();
                  else open.add(r);
                  return r.statusCode() == 200;
                });
      } finally {
        podA.abort();
        open.forEach(r -> r.body().close());
      }
    }
  }

  private static HttpResponse<java.util.stream.Stream<String>> sse(String path, String token)
      throws Exception {
    return h.http.send(h.request(path, token).GET().build(), HttpResponse.BodyHandlers.ofLines());
  }

  @Test
  void corsAllowsConfiguredOriginsOnly() {
    HttpResponse<String> preflight =
        h.send(
            h.request("/api/users/alice", null)
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example.com");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("Authorization"));
    problem(
        h.send(
            h.request("/api/users/alice", null)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build()),
        403,
        "forbidden");
    HttpResponse<String> actual =
        h.send(
            h.request("/api/users/alice", alice)
                .header("Origin", "https://shop.example.com")
                .GET()
                .build());
    assertThat(actual.statusCode()).isEqualTo(200);
    assertThat(actual.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example.com");
    assertThat(actual.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("X-Request-Id"));
    HttpResponse<String> foreign =
        h.send(
            h.request("/api/users/alice", alice)
                .header("Origin", "https://evil.example")
                .GET()
                .build());
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
