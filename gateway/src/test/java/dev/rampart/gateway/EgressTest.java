package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The egress on its own listener, in front of real HTTP servers on loopback (the JDK's, one plain,
 * one TLS with a self-signed certificate from a keystore made by keytool): forwarding of method,
 * path, query, body and content type; the caller's Authorization replaced by the configured one
 * (read again when it changes); hop-by-hop headers dropped; the configured CA trusted, and no
 * other; unknown name 404, upstream down 502, no answer in time 504; never served on the public
 * port; metered.
 */
class EgressTest {
  record Seen(
      String method, String path, String query, Map<String, List<String>> headers, String body) {}

  static final List<Seen> seen = new CopyOnWriteArrayList<>();
  static final CountDownLatch release = new CountDownLatch(1);
  static HttpServer plain;
  static HttpsServer tls;
  static GatewayHarness h;
  static Path egressDir;

  @BeforeAll
  static void start() throws Exception {
    Path dir = TestKeys.tempDir();
    plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    plain.createContext("/", EgressTest::echo);
    plain.createContext(
        "/base/slow",
        exchange -> {
          try {
            release.await(60, TimeUnit.SECONDS); // answers only when the test ends
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    plain.setExecutor(Executors.newCachedThreadPool());
    plain.start();

    Path keystore = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=carrier.test",
        "-ext",
        "san=ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    Path pem = dir.resolve("server.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    tls.setHttpsConfigurator(new HttpsConfigurator(serverTls(keystore)));
    tls.createContext("/", EgressTest::echo);
    tls.setExecutor(Executors.newCachedThreadPool());
    tls.start();

    egressDir = dir.resolve("egress");
    Files.createDirectories(egressDir.resolve("carrier"));
    Files.writeString(
        egressDir.resolve("carrier").resolve(Env.EGRESS_AUTHORIZATION_FILE),
        "Bearer egress-secret\n");
    Files.createDirectories(egressDir.resolve("secure"));
    Files.copy(pem, egressDir.resolve("secure").resolve(Env.EGRESS_CA_FILE));
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    String p = "http://127.0.0.1:" + plain.getAddress().getPort();
    String t = "https://127.0.0.1:" + tls.getAddress().getPort();
    var endpoints =
        GatewayConfig.Egress.parse(
            "carrier="
                + p
                + "/base,bare="
                + p
                + "/,secure="
                + t
                + "/api,untrusted="
                + t
                + "/api,down=http://127.0.0.1:"
                + closed);
    h =
        new GatewayHarness(
            new FakeUpstreams(),
            true,
            c -> c.with(x -> x.egress = new GatewayConfig.Egress(endpoints, egressDir, 0)),
            ConfigFactory.parseString("rampart.gateway.egress.timeout = 2s"));
  }

  @AfterAll
  static void stop() {
    release.countDown();
    if (h != null) h.close();
    if (plain != null) plain.stop(0);
    if (tls != null) tls.stop(0);
  }

  @Test
  void forwardsTheRequestWithTheConfiguredCredentialsInsteadOfTheCallers() {
    int before = seen.size();
    HttpResponse<String> r =
        h.send(
            egress("/egress/carrier/v1/bookings?dry=1&x=a%20b")
                .header("Authorization", "Bearer the-callers-own")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "req-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"shipmentId\":\"s-1\"}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("echo POST");
    assertThat(r.headers().firstValue("X-Upstream")).hasValue("plain");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
    Seen s = seen.get(before);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path()).isEqualTo("/base/v1/bookings");
    assertThat(s.query()).isEqualTo("dry=1&x=a%20b");
    assertThat(s.body()).isEqualTo("{\"shipmentId\":\"s-1\"}");
    assertThat(header(s, "Content-Type")).isEqualTo("application/json");
    assertThat(s.headers().get("Authorization")).containsExactly("Bearer egress-secret");
    assertThat(header(s, "X-Request-Id")).isEqualTo("req-42");

    // without a configured credential the caller's Authorization is dropped, not passed on
    h.send(egress("/egress/bare/hello").header("Authorization", "Bearer mine").GET().build());
    Seen bare = seen.get(seen.size() - 1);
    assertThat(bare.path()).isEqualTo("/hello");
    assertThat(bare.headers()).doesNotContainKey("Authorization");
    assertThat(bare.method()).isEqualTo("GET");
  }

  @Test
  void readsTheCredentialsAgainWhenTheyChange() throws Exception {
    Path file = egressDir.resolve("carrier").resolve(Env.EGRESS_AUTHORIZATION_FILE);
    String before = Files.readString(file);
    try {
      Files.writeString(file, "Basic cm90YXRlZDp5ZXM=");
      Files.setLastModifiedTime(
          file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      h.send(egress("/egress/carrier/rotated").GET().build());
      assertThat(seen.get(seen.size() - 1).headers().get("Authorization"))
          .containsExactly("Basic cm90YXRlZDp5ZXM=");
    } finally {
      Files.writeString(file, before);
      Files.setLastModifiedTime(
          file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    }
  }

  @Test
  void dropsHopByHopHeaders() throws Exception {
    int before = seen.size();
    String answer =
        rawRequest(
            h.gateway.egressPort().orElseThrow(),
            "GET /egress/bare/hop HTTP/1.1\r\n"
                + "Host: x\r\n"
                + "Connection: close, X-Hop\r\n"
                + "X-Hop: gone\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic eA==\r\n"
                + "TE: trailers\r\n"
                + "X-Kept: yes\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 201");
    Map<String, List<String>> headers = seen.get(before).headers();
    assertThat(headers).containsKey("X-kept");
    assertThat(headers.keySet())
        .noneMatch(
            k ->
                List.of("x-hop", "keep-alive", "proxy-authorization", "te")
                    .contains(k.toLowerCase(java.util.Locale.ROOT)));
  }

  @Test
  void trustsTheConfiguredCaAndNoOther() {
    HttpResponse<String> secure = h.send(egress("/egress/secure/v1/ping").GET().build());
    assertThat(secure.statusCode()).as(secure.body()).isEqualTo(201);
    assertThat(secure.headers().firstValue("X-Upstream")).hasValue("tls");
    assertThat(seen.get(seen.size() - 1).path()).isEqualTo("/api/v1/ping");
    GatewayErrorPathsTest.problem(
        h.send(egress("/egress/untrusted/v1/ping").GET().build()), 502, "egress-unreachable");
  }

  @Test
  void unknownNamesDownAndSlowEndpoints() {
    GatewayErrorPathsTest.problem(
        h.send(egress("/egress/nobody/v1").GET().build()), 404, "unknown-egress");
    GatewayErrorPathsTest.problem(h.send(egress("/egress/").GET().build()), 404, "unknown-egress");
    GatewayErrorPathsTest.problem(
        h.send(egress("/v1/bookings").GET().build()), 404, "unknown-egress");
    GatewayErrorPathsTest.problem(
        h.send(egress("/egress/down/v1").GET().build()), 502, "egress-unreachable");
    GatewayErrorPathsTest.problem(
        h.send(egress("/egress/carrier/slow").GET().build()), 504, "egress-timeout");
    // dot segments never reach the endpoint: Akka collapses them within the request path
    assertThat(h.send(egress("/egress/carrier/a/%2e%2e/b").GET().build()).statusCode())
        .isEqualTo(201);
    assertThat(seen.get(seen.size() - 1).path()).isEqualTo("/base/b");
    GatewayErrorPathsTest.problem(
        h.send(egress("/egress/carrier/../../v1").GET().build()), 404, "unknown-egress");
    String metrics = h.get("/metrics", null).body();
    assertThat(metrics)
        .contains("gateway_egress_requests_seconds_count{egress=\"down\",status=\"5xx\"}")
        .contains("gateway_egress_requests_seconds_count{egress=\"unknown\",status=\"4xx\"}");
  }

  @Test
  void theEgressIsNotServedOnThePublicPort() {
    int before = seen.size();
    assertThat(h.gateway.egressPort()).isPresent().get().isNotEqualTo(h.gateway.port());
    GatewayErrorPathsTest.problem(
        h.get("/egress/carrier/v1/bookings", h.keys.token("alice")), 404, "unknown-route");
    GatewayErrorPathsTest.problem(h.get("/egress/carrier/v1/bookings", null), 404, "unknown-route");
    assertThat(seen).hasSize(before);
  }

  private static HttpRequest.Builder egress(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + h.gateway.egressPort().orElseThrow() + path))
        .timeout(Duration.ofSeconds(15));
  }

  private static String header(Seen s, String name) {
    List<String> v =
        s.headers().entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase(name))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(null);
    return v == null ? null : v.get(0);
  }

  private static void echo(HttpExchange exchange) throws IOException {
    try (exchange) {
      seen.add(
          new Seen(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      byte[] body = ("echo " + exchange.getRequestMethod()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
      exchange
          .getResponseHeaders()
          .set(
              "X-Upstream",
              exchange instanceof com.sun.net.httpserver.HttpsExchange ? "tls" : "plain");
      exchange.sendResponseHeaders(201, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static String rawRequest(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static SSLContext serverTls(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    return ssl;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
