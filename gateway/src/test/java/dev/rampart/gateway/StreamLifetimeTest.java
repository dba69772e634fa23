package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Open streams through the real gateway from the real User service (own JVM): they end when their
 * token expires (WebSocket close 4401, SSE {@code event: end}) within 2 s of {@code exp}, and when
 * the token's key leaves the JWKS file. The gateway runs with a 3 s idle timeout, WebSocket pings
 * and SSE heartbeats after 1 s of silence, so idle streams must survive several idle timeouts.
 */
@Tag("slow")
class StreamLifetimeTest {
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  static RealServiceJvm userService;
  static FakeUpstreams fakeOrders;
  static GatewayHarness h;
  static RSAKey withdrawable;

  @BeforeAll
  static void start() throws Exception {
    userService = RealServiceJvm.user();
    fakeOrders = new FakeUpstreams();
    h =
        new GatewayHarness(
            fakeOrders,
            false,
            c -> c.withEndpoints("user", List.of(userService.endpoint())),
            ConfigFactory.parseString(
                "akka.http.server.idle-timeout = 3s\n"
                    + "akka.http.server.websocket.periodic-keep-alive-max-idle = 1s\n"
                    + "rampart.gateway.streams.sse-heartbeat = 1s\n"
                    + "rampart.gateway.streams.key-check-interval = 200ms\n"
                    + "rampart.gateway.jwks-check-interval = 0s"));
    withdrawable = new RSAKeyGenerator(2048).keyID("rsa-withdrawable").generate();
    writeJwks(List.of(h.keys.rsa, h.keys.ec, withdrawable), 5);
    String probe = h.keys.token("probe");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(userService.isAlive()).as("user service process alive").isTrue();
              return h.get("/api/users/probe", probe).statusCode() == 404;
            });
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
    if (fakeOrders != null) fakeOrders.close();
    if (userService != null) userService.close();
  }

  @Test
  void aWebSocketClosesWith4401WithinTwoSecondsOfExp() throws Exception {
    Instant exp = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    String token = expiringToken("wendy", exp);
    register("wendy", token);
    Socket ws = Socket.open("wendy", token);
    await().atMost(Duration.ofSeconds(30)).until(() -> online("wendy"));
    int code = ws.closed.get(20, TimeUnit.SECONDS);
    Instant closedAt = Instant.now();
    assertThat(code).isEqualTo(ApiRoutes.CLOSE_UNAUTHORIZED);
    assertThat(ws.reason).isEqualTo(StreamEnd.EXPIRED.reason());
    assertThat(Duration.between(exp, closedAt)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void anSseStreamSendsAnEndEventAndCompletesWithinTwoSecondsOfExp() throws Exception {
    Instant exp = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    String token = expiringToken("sam", exp);
    register("sam", token);
    Events sse = Events.open("sam", token);
    await().atMost(Duration.ofSeconds(30)).until(() -> online("sam"));
    sse.completed.get(20, TimeUnit.SECONDS);
    Instant endedAt = Instant.now();
    assertThat(sse.lines).containsSubsequence("data:" + StreamEnd.EXPIRED.reason(), "event:end");
    assertThat(Duration.between(exp, endedAt)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void streamsEndWhenTheirKeyLeavesTheJwks() throws Exception {
    String token =
        TestKeys.rs256(TestKeys.claims("kim", c -> {}), withdrawable); // exp in 10 minutes
    register("kim", token);
    Socket ws = Socket.open("kim", token);
    Events sse = Events.open("kim", token);
    await().atMost(Duration.ofSeconds(30)).until(() -> online("kim"));
    assertThat(ws.closed).isNotDone();
    assertThat(sse.completed).isNotDone();

    writeJwks(List.of(h.keys.rsa, h.keys.ec), 10);
    Instant withdrawn = Instant.now();
    assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(ApiRoutes.CLOSE_UNAUTHORIZED);
    assertThat(ws.reason).isEqualTo(StreamEnd.KEY_WITHDRAWN.reason());
    sse.completed.get(10, TimeUnit.SECONDS);
    assertThat(sse.lines)
        .containsSubsequence("data:" + StreamEnd.KEY_WITHDRAWN.reason(), "event:end");
    assertThat(Duration.between(withdrawn, Instant.now())).isLessThan(Duration.ofSeconds(3));
    // other keys' streams and tokens are unaffected
    assertThat(h.get("/api/users/probe", h.keys.token("probe")).statusCode()).isEqualTo(404);
  }

  /**
   * Idle for four idle timeouts, a WebSocket (server pings) and an SSE stream (heartbeat comments)
   * are still open and deliver the next notification.
   */
  @Test
  void idleStreamsOutliveTheIdleTimeoutAndStillDeliver() throws Exception {
    idleThenDeliver("ida", IDLE_TIMEOUT.multipliedBy(4));
  }

  /**
   * Five minutes idle: a hundred of the gateway's (shortened) idle timeouts, and the upstream gRPC
   * stream from the User service idle as long with its default keep-alive settings. In CI; it
   * waits, it does not load the machine.
   */
  @Test
  void streamsIdleForFiveMinutesStillDeliver() throws Exception {
    idleThenDeliver("iris", Duration.ofMinutes(5));
  }

  private static void idleThenDeliver(String user, Duration idle) throws Exception {
    String token = h.keys.token(user);
    register(user, token);
    Socket ws = Socket.open(user, token);
    Events sse = Events.open(user, token);
    await().atMost(Duration.ofSeconds(30)).until(() -> online(user));
    await()
        .during(idle)
        .atMost(idle.plus(IDLE_TIMEOUT))
        .until(() -> !ws.closed.isDone() && !sse.completed.isDone());
    String message = null;
    for (int attempt = 0; attempt < 10 && message == null; attempt++) {
      HttpResponse<String> moved =
          h.put(
              "/api/users/" + user + "/address",
              token,
              "{\"street\":\""
                  + attempt
                  + " Idle Rd\",\"city\":\"Restby\",\"postalCode\":\"R1\",\"country\":\"GB\"}");
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      message = ws.messages.poll(3, TimeUnit.SECONDS);
    }
    assertThat(message).as("notification over the idle WebSocket").contains("addressChanged");
    await().atMost(Duration.ofSeconds(10)).until(() -> sse.lines.contains("event:addressChanged"));
    ws.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    sse.close();
  }

  // --- helpers

  static String expiringToken(String user, Instant exp) {
    return TestKeys.rs256(TestKeys.claims(user, c -> c.expirationTime(Date.from(exp))), h.keys.rsa);
  }

  static void register(String user, String token) {
    HttpResponse<String> r = h.post("/api/users", token, GatewayHarness.registration(user, user));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  static boolean online(String user) {
    HttpResponse<String> r = h.get("/api/users/" + user, h.keys.token(user));
    return r.statusCode() == 200 && GatewayHarness.json(r).get("online").asBoolean();
  }

  static void writeJwks(List<? extends com.nimbusds.jose.jwk.JWK> keys, int secondsAhead)
      throws Exception {
    Files.writeString(
        h.keys.jwksFile,
        new JWKSet(keys.stream().map(com.nimbusds.jose.jwk.JWK::toPublicJWK).toList()).toString());
    // a distinct modification time, as a Secret update gives
    Files.setLastModifiedTime(
        h.keys.jwksFile, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
  }

  /** A notification WebSocket and how it closed. */
  static final class Socket implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String reason;
    WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    static Socket open(String user, String token) throws Exception {
      Socket s = new Socket();
      s.socket =
          h.http
              .newWebSocketBuilder()
              .subprotocols(ApiRoutes.NOTIFICATIONS_SUBPROTOCOL, "bearer." + token)
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:"
                          + h.gateway.port()
                          + "/api/users/"
                          + user
                          + "/notifications"),
                  s)
              .get(10, TimeUnit.SECONDS);
      return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String why) {
      reason = why;
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  /** An SSE stream read line by line on its own thread; completes when the server ends it. */
  static final class Events {
    final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    private HttpResponse<Stream<String>> response;

    static Events open(String user, String token) throws Exception {
      Events e = new Events();
      e.response =
          h.http.send(
              h.request("/api/users/" + user + "/events", token).GET().build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(e.response.statusCode()).isEqualTo(200);
      Thread reader =
          new Thread(
              () -> {
                try {
                  Iterator<String> it = e.response.body().iterator();
                  while (it.hasNext()) e.lines.add(it.next());
                  e.completed.complete(null);
                } catch (RuntimeException failure) {
                  e.completed.completeExceptionally(failure);
                }
              },
              "sse-" + user);
      reader.setDaemon(true);
      reader.start();
      return e;
    }

    void close() {
      response.body().close();
    }
  }
}
