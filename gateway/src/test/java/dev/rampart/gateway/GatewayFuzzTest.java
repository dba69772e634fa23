package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over 10,000 generated bad requests (seeded, reproducible) against a real gateway over loopback:
 * malformed JSON, wrong types, huge values, deep nesting, bad/expired/forged JWTs, unknown routes,
 * wrong methods, header abuse, and raw malformed HTTP. No answer may be a 5xx, none may go
 * unanswered, and the gateway must still serve the journey afterwards.
 */
class GatewayFuzzTest {
  static final int HTTP_CASES = 10_500;
  static final int RAW_CASES = 600;
  static final long SEED = 20261126L;
  static GatewayHarness h;
  static String token;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(c -> c).warmedUp();
    token = h.keys.token("fuzzer");
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration("fuzzer", "Fuzzer"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
  }

  record Case(String category, HttpRequest request) {}

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void tenThousandBadRequestsYieldNo5xxAndTheGatewayKeepsServing() throws Exception {
    Random random = new Random(SEED);
    Generator gen = new Generator(random);
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Semaphore inFlight = new Semaphore(24);
    List<CompletableFuture<?>> all = new ArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    for (int i = 0; i < HTTP_CASES; i++) {
      Case c = gen.next();
      inFlight.acquire();
      sent.incrementAndGet();
      all.add(
          h.http
              .sendAsync(c.request(), HttpResponse.BodyHandlers.ofString())
              .orTimeout(20, TimeUnit.SECONDS)
              .whenComplete(
                  (r, t) -> {
                    inFlight.release();
                    if (t != null) {
                      failures.add(
                          c.category()
                              + " "
                              + c.request().method()
                              + " "
                              + c.request().uri()
                              + " -> no answer: "
                              + t);
                      return;
                    }
                    statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                    if (r.statusCode() >= 500 || r.statusCode() < 400)
                      failures.add(
                          c.category()
                              + " "
                              + c.request().method()
                              + " "
                              + c.request().uri()
                              + " -> "
                              + r.statusCode()
                              + " "
                              + r.body());
                    else if (!r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .equals("application/problem+json")
                        && r.statusCode() != 431
                        && r.statusCode() != 414)
                      failures.add(
                          c.category()
                              + " "
                              + c.request().uri()
                              + " -> "
                              + r.statusCode()
                              + " without problem+json: "
                              + r.body());
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .exceptionally(t -> null)
        .get(200, TimeUnit.SECONDS);

    int rawAnswered = rawMalformedHttp(new Random(SEED + 1), failures);

    System.out.println(
        "fuzz: "
            + sent.get()
            + " HTTP cases + "
            + RAW_CASES
            + " raw cases; statuses "
            + statuses
            + "; raw answered "
            + rawAnswered);
    assertThat(failures)
        .as("failures (first 20): " + failures.stream().limit(20).toList())
        .isEmpty();
    assertThat(rawAnswered).as("raw cases answered with a 4xx status line").isEqualTo(RAW_CASES);
    assertThat(sent.get() + RAW_CASES).isGreaterThanOrEqualTo(10_000);
    assertThat(statuses.keySet()).allMatch(s -> s >= 400 && s < 500);

    // still serves good requests
    assertThat(h.get("/api/users/fuzzer", token).statusCode()).isEqualTo(200);
    assertThat(
            h.post("/api/orders", token, GatewayHarness.order("after-fuzz", "SKU-1")).statusCode())
        .isEqualTo(201);
    assertThat(h.get("/api/orders/" + OrderIds.scoped("fuzzer", "after-fuzz"), token).statusCode())
        .isEqualTo(200);
    assertThat(h.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  /**
   * Raw bytes no HTTP client would send: answers must be 4xx (or a closed connection), never 5xx.
   */
  private static int rawMalformedHttp(Random random, ConcurrentLinkedQueue<String> failures)
      throws Exception {
    String[] templates = {
      "GET /api/users/fuzzer HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
      "POST /api/users HTTP/1.1\r\n"
          + "Host: x\r\n"
          + "Transfer-Encoding: chunked\r\n"
          + "Content-Type: application/json\r\n\r\n"
          + "ZZZ\r\n",
      "GET /api/users/fuzzer HTTP/9.9\r\nHost: x\r\n\r\n",
      "BREW /coffee HTCPCP/1.0\r\n\r\n",
      "GET /api/users/\u0000fuzzer HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%zz%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/users/fuzzer HTTP/1.1\r\nHost: x\r\nBad Header Name: v\r\n\r\n",
      "GET /api/users/fuzzer HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
      "GET /" + "a/".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/users/fuzzer HTTP/1.1\r\n" + "X-H: v\r\n".repeat(200) + "Host: x\r\n\r\n",
      "GET /api/users/fuzzer?access_token=%%% HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/users/fuzzer/events?access_token=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /api/orders HTTP/1.1\r\n"
          + "Host: x\r\n"
          + "Content-Type: application/json\r\n"
          + "Content-Length: 10\r\n"
          + "Content-Length: 20\r\n\r\n"
          + "{}",
    };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < RAW_CASES; i++) {
      String base = templates[i % templates.length];
      byte[] bytes = base.getBytes(StandardCharsets.ISO_8859_1);
      if (i >= templates.length) { // mutate a few bytes of the template
        for (int m = 0; m < 1 + random.nextInt(4); m++)
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      byte[] payload = bytes;
      all.add(
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress("127.0.0.1", h.gateway.port()), 5_000);
                  s.setSoTimeout(5_000);
                  OutputStream out = s.getOutputStream();
                  out.write(payload);
                  out.flush();
                  s.shutdownOutput();
                  InputStream in = s.getInputStream();
                  byte[] head = in.readNBytes(12);
                  String status = new String(head, StandardCharsets.ISO_8859_1);
                  if (status.startsWith("HTTP/1.1 ")) {
                    answered.incrementAndGet();
                    if (status.charAt(9) != '4')
                      failures.add("raw " + printable(payload) + " -> " + status);
                  } else {
                    failures.add("raw " + printable(payload) + " -> closed without answer");
                  }
                } catch (java.net.SocketTimeoutException e) {
                  failures.add("raw " + printable(payload) + " -> no answer within 5 s");
                } catch (Exception e) {
                  failures.add("raw " + printable(payload) + " -> " + e);
                }
              },
              pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    pool.shutdownNow();
    return answered.get();
  }

  private static String printable(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 80), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * Produces bad requests: every one is wrong in at least one way the gateway must answer with a
   * 4xx.
   */
  static final class Generator {
    private final Random r;
    private final List<String> badTokens = new ArrayList<>();

    Generator(Random r) {
      this.r = r;
      Instant now = Instant.now();
      badTokens.add(
          TestKeys.rs256(
              TestKeys.claims("fuzzer", c -> c.expirationTime(Date.from(now.minusSeconds(3600)))),
              h.keys.rsa));
      badTokens.add(
          TestKeys.rs256(TestKeys.claims("fuzzer", c -> c.issuer("https://evil/")), h.keys.rsa));
      badTokens.add(
          TestKeys.rs256(TestKeys.claims("fuzzer", c -> c.audience("other")), h.keys.rsa));
      badTokens.add(TestKeys.rs256(TestKeys.claims("fuzzer", c -> {}), h.keys.forgedRsa));
      badTokens.add(new com.nimbusds.jwt.PlainJWT(TestKeys.claims("fuzzer", c -> {})).serialize());
      badTokens.add("eyJhbGciOiJub25lIn0.e30.");
      badTokens.add("");
      badTokens.add("a.b.c");
      badTokens.add("....");
    }

    Case next() {
      return switch (r.nextInt(10)) {
        case 0 -> malformedJson();
        case 1, 2 -> wrongTypes();
        case 3 -> hugeValues();
        case 4, 5 -> badJwt();
        case 6 -> unknownRoute();
        case 7 -> wrongMethod();
        case 8 -> headerAbuse();
        default -> otherUsersData();
      };
    }

    private HttpRequest.Builder req(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.gateway.port() + path))
          .timeout(Duration.ofSeconds(20));
    }

    private HttpRequest json(String method, String path, String body, String tok) {
      HttpRequest.Builder b =
          req(path)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(body));
      if (tok != null) b.header("Authorization", "Bearer " + tok);
      return b.build();
    }

    private String[] writeTarget() {
      return switch (r.nextInt(3)) {
        case 0 ->
            new String[] {"POST", "/api/users", GatewayHarness.registration("fuzzer", "Fuzzer")};
        case 1 ->
            new String[] {
              "POST", "/api/orders", GatewayHarness.order("fz-" + r.nextInt(1000), "SKU")
            };
        default ->
            new String[] {
              "PUT",
              "/api/users/fuzzer/address",
              "{\"street\":\"s\",\"city\":\"c\",\"postalCode\":\"p\",\"country\":\"DE\"}"
            };
      };
    }

    Case malformedJson() {
      String[] t = writeTarget();
      String body = t[2];
      String bad =
          switch (r.nextInt(6)) {
            case 0 -> body.substring(0, r.nextInt(body.length())); // truncated
            case 1 -> body.replace(":", r.nextBoolean() ? "=" : ""); // broken syntax
            case 2 -> randomString(1 + r.nextInt(200), true); // noise
            case 3 -> body + "}" + body; // trailing garbage
            case 4 -> "\"" + randomString(50, false) + "\""; // not an object
            default -> body.replace("\"", r.nextBoolean() ? "'" : ""); // wrong quotes
          };
      if (bad.equals(body) || bad.isEmpty()) bad = "{";
      return new Case("malformed-json", json(t[0], t[1], bad, token));
    }

    Case wrongTypes() {
      String[] t = writeTarget();
      String[] fields = {
        "name",
        "email",
        "street",
        "city",
        "postalCode",
        "country",
        "orderId",
        "sku",
        "quantity",
        "unitPriceCents",
        "lines",
        "address"
      };
      String field = fields[r.nextInt(fields.length)];
      String body = t[2];
      String replacement = randomJsonValue();
      // replace the field's value, or add it as an unknown/misplaced member
      String mutated =
          body.replaceFirst(
              "\"" + field + "\":(\"[^\"]*\"|-?[0-9]+|\\{[^}]*\\}|\\[[^\\]]*\\])",
              java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + replacement));
      if (mutated.equals(body))
        mutated =
            body.replaceFirst(
                "\\{",
                java.util.regex.Matcher.quoteReplacement(
                    "{\"" + field + "X\":" + replacement + ","));
      return new Case("wrong-types", json(t[0], t[1], mutated, token));
    }

    Case hugeValues() {
      String[] t = writeTarget();
      String body =
          switch (r.nextInt(7)) {
            case 0 ->
                t[2].replaceFirst(
                    "\"Fuzzer\"|\"s\"|\"SKU\"", "\"" + "x".repeat(201 + r.nextInt(5000)) + "\"");
            case 1 ->
                "{\"orderId\":\"o\",\"lines\":[{\"sku\":\"a\",\"quantity\":"
                    + "9".repeat(20 + r.nextInt(3000))
                    + ",\"unitPriceCents\":1}]}";
            case 2 ->
                "{\"orderId\":\"o\",\"lines\":[{\"sku\":\"a\",\"quantity\":1e"
                    + r.nextInt(99999)
                    + ",\"unitPriceCents\":1}]}";
            case 3 -> "[".repeat(17 + r.nextInt(60_000)) + "]".repeat(r.nextInt(3));
            case 4 -> "{\"a\":".repeat(17 + r.nextInt(5_000)) + "1" + "}".repeat(r.nextInt(10));
            case 5 ->
                "{\"name\":\""
                    + "y".repeat(65_537 + r.nextInt(100_000))
                    + "\"}"; // over the body limit
            default ->
                "{\"orderId\":\"o\",\"lines\":["
                    + "{\"sku\":\"a\",\"quantity\":1,\"unitPriceCents\":1},".repeat(101)
                    + "{}]}";
          };
      if (body.equals(t[2])) body = "{\"name\":\"" + "z".repeat(300) + "\"}";
      return new Case("huge-values", json(t[0], t[1], body, token));
    }

    Case badJwt() {
      String tok;
      switch (r.nextInt(4)) {
        case 0 -> tok = badTokens.get(r.nextInt(badTokens.size()));
        case 1 -> { // flip one character of a valid token
          char[] c = token.toCharArray();
          int i = r.nextInt(c.length);
          char replacement =
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
                  .charAt(r.nextInt(65));
          if (c[i] == replacement) replacement = c[i] == 'A' ? 'B' : 'A';
          c[i] = replacement;
          tok = new String(c);
        }
        case 2 ->
            tok =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                            randomString(20 + r.nextInt(400), true)
                                .getBytes(StandardCharsets.UTF_8))
                    + "."
                    + randomString(r.nextInt(30), false).replaceAll("[^A-Za-z0-9]", "")
                    + "."
                    + "sig";
        default -> tok = "x".repeat(8_193 + r.nextInt(100)); // longer than any accepted token
      }
      String[] paths = {"/api/users/fuzzer", "/api/orders/fz-1", "/api/users/fuzzer/events"};
      HttpRequest.Builder b = req(paths[r.nextInt(paths.length)]).GET();
      if (r.nextInt(5) == 0)
        b.header("Authorization", (r.nextBoolean() ? "Basic " : "bearer") + tok);
      else b.header("Authorization", "Bearer " + tok);
      return new Case("bad-jwt", b.build());
    }

    Case unknownRoute() {
      String path =
          switch (r.nextInt(6)) {
            case 0 -> "/" + encode(randomString(1 + r.nextInt(40), false));
            case 1 -> "/api/" + encode(randomString(1 + r.nextInt(20), false));
            case 2 -> "/api/users/fuzzer/" + encode(randomString(1 + r.nextInt(20), false));
            case 3 -> "/api/users/%2e%2e/%2e%2e/etc/passwd";
            case 4 -> "/api/users/" + encode(randomString(1 + r.nextInt(80), true));
            default -> "/api/orders/" + "o".repeat(65 + r.nextInt(200));
          };
      HttpRequest.Builder b = req(path).GET();
      if (r.nextBoolean()) b.header("Authorization", "Bearer " + token);
      return new Case("unknown-route", b.build());
    }

    Case wrongMethod() {
      String[][] routes = {
        {"/api/users", "GET"},
        {"/api/users/fuzzer", "DELETE"},
        {"/api/users/fuzzer", "POST"},
        {"/api/users/fuzzer/address", "GET"},
        {"/api/orders", "PUT"},
        {"/api/orders/fz", "PATCH"},
        {"/healthz", "POST"},
        {"/openapi.json", "DELETE"},
        {"/api/users/fuzzer/events", "POST"}
      };
      String[] route = routes[r.nextInt(routes.length)];
      HttpRequest.Builder b =
          req(route[0])
              .method(route[1], HttpRequest.BodyPublishers.ofString("{}"))
              .header("Content-Type", "application/json");
      if (r.nextBoolean()) b.header("Authorization", "Bearer " + token);
      return new Case("wrong-method", b.build());
    }

    Case headerAbuse() {
      String[] t = writeTarget();
      HttpRequest.Builder b = req(t[1]).method(t[0], HttpRequest.BodyPublishers.ofString(t[2]));
      // each request is also wrong (no token, wrong content type, or a token in the wrong place) so
      // it must fail
      switch (r.nextInt(5)) {
        case 0 ->
            b.header(
                "Content-Type", randomString(1 + r.nextInt(60), false).replaceAll("[\\r\\n]", ""));
        case 1 ->
            b.header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token + " " + token);
        case 2 ->
            b.header(
                    "Content-Type",
                    "application/json; charset=" + randomString(5, false).replaceAll("[^a-z]", "q"))
                .header("Authorization", "Token " + token);
        case 3 ->
            b.header("Content-Type", "application/json").header("X-Request-Id", "x".repeat(7_000));
        default ->
            b.header("Content-Type", "application/json")
                .header("Authorization", "Bearer")
                .header("Origin", randomString(30, false).replaceAll("[\\r\\n]", ""));
      }
      for (int i = 0; i < r.nextInt(30); i++)
        b.header("X-Fuzz-" + i, randomString(1 + r.nextInt(200), false).replaceAll("[\\r\\n]", ""));
      if (r.nextInt(4) == 0) b.header("Last-Event-ID", "e".repeat(r.nextInt(3000)));
      return new Case("header-abuse", b.build());
    }

    Case otherUsersData() {
      String other = "victim" + r.nextInt(50);
      HttpRequest request =
          switch (r.nextInt(4)) {
            case 0 ->
                req("/api/users/" + other).header("Authorization", "Bearer " + token).GET().build();
            case 1 ->
                json(
                    "PUT",
                    "/api/users/" + other + "/address",
                    "{\"street\":\"s\",\"city\":\"c\",\"postalCode\":\"p\",\"country\":\"DE\"}",
                    token);
            case 2 -> json("POST", "/api/users", GatewayHarness.registration(other, "V"), token);
            default ->
                req("/api/users/" + other + "/events")
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
          };
      return new Case("other-users-data", request);
    }

    private String randomJsonValue() {
      return switch (r.nextInt(9)) {
        case 0 -> "null";
        case 1 -> String.valueOf(r.nextLong());
        case 2 -> "1e" + r.nextInt(400);
        case 3 -> "[" + r.nextInt() + ",\"a\"]";
        case 4 -> "{\"nested\":{\"deep\":true}}";
        case 5 -> r.nextBoolean() ? "true" : "false";
        case 6 -> "-0.000001";
        case 7 -> "\"\"";
        default -> "\"" + "\\u0000".repeat(1 + r.nextInt(5)) + "\"";
      };
    }

    private String randomString(int n, boolean anyChar) {
      StringBuilder sb = new StringBuilder(n);
      for (int i = 0; i < n; i++)
        sb.append(anyChar ? (char) (1 + r.nextInt(0x2FF)) : (char) (0x20 + r.nextInt(0x5F)));
      return sb.toString();
    }

    private static String encode(String s) {
      return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }
}
