package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of the real User service: its own JVM started from {@code
 * dev.rampart.user.Main} with the contract's environment (one-node cluster, H2 journal, no Kafka)
 * on its own loopback address. Register, read, change the address and receive the AddressChanged
 * notification over the WebSocket, plus the real service's NOT_FOUND and ALREADY_EXISTS through the
 * status mapping.
 */
@Tag("slow")
class RealUserServiceTest {
  static RealServiceJvm userService;
  static FakeUpstreams fakeOrders;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    userService = RealServiceJvm.user();
    fakeOrders = new FakeUpstreams();
    h =
        new GatewayHarness(
            fakeOrders, false, c -> c.withEndpoints("user", List.of(userService.endpoint())));
    String probe = h.keys.token("probe");
    // the service is up when the gateway gets the real NOT_FOUND for an unknown user
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
  void registerReadChangeAddressAndWatchThroughTheGateway() throws Exception {
    String token = h.keys.token("erin");
    HttpResponse<String> registered =
        h.post("/api/users", token, GatewayHarness.registration("erin", "Erin"));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration("erin", "Erin")).statusCode())
        .isEqualTo(201);
    GatewayErrorPathsTest.problem(
        h.post("/api/users", token, GatewayHarness.registration("erin", "Someone Else")),
        409,
        "conflict");
    GatewayErrorPathsTest.problem(
        h.get("/api/users/nobody-here", h.keys.token("nobody-here")), 404, "not-found");

    JsonNode user = GatewayHarness.json(h.get("/api/users/erin", token));
    assertThat(user.get("name").asText()).isEqualTo("Erin");
    assertThat(user.get("address").get("city").asText()).isEqualTo("Springfield");

    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        h.http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + h.gateway.port() + "/api/users/erin/notifications"),
                GatewayJourneyTest.collector(messages))
            .get(10, TimeUnit.SECONDS);
    // presence (Distributed Data) shows the open stream once the service has subscribed it
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> GatewayHarness.json(h.get("/api/users/erin", token)).get("online").asBoolean());

    // One change, right away: the service holds the stream back until its subscription has spread
    // through the cluster and replays from the journal what came before, so nothing is lost.
    HttpResponse<String> moved =
        h.put(
            "/api/users/erin/address",
            token,
            "{\"street\":\"1 Harbour Rd\",\"city\":\"Portsmouth\",\"postalCode\":\"PO1\","
                + "\"country\":\"GB\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    assertThat(GatewayHarness.json(moved).get("address").get("city").asText())
        .isEqualTo("Portsmouth");
    String message = messages.poll(20, TimeUnit.SECONDS);
    assertThat(message).as("AddressChanged notification over the WebSocket").isNotNull();
    JsonNode notification = GatewayHarness.JSON.readTree(message);
    assertThat(notification.get("kind").asText()).isEqualTo("addressChanged");
    assertThat(notification.get("userId").asText()).isEqualTo("erin");
    assertThat(notification.get("addressChanged").get("city").asText()).isEqualTo("Portsmouth");
    assertThat(notification.get("id").asText()).isNotBlank();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  static String moveTo(String street) {
    return "{\"street\":\""
        + street
        + "\",\"city\":\"Portsmouth\",\"postalCode\":\"PO1\",\"country\":\"GB\"}";
  }

  /** Ids of the JSON notifications in {@code messages} until {@code lastId} has come. */
  static List<String> idsUntil(BlockingQueue<String> messages, String lastId) throws Exception {
    List<String> ids = new ArrayList<>();
    while (!ids.contains(lastId)) {
      String message = messages.poll(20, TimeUnit.SECONDS);
      assertThat(message).as("a notification before timeout; got " + ids).isNotNull();
      ids.add(GatewayHarness.JSON.readTree(message).get("id").asText());
    }
    return ids;
  }

  /**
   * Changes made before a stream opens are replayed after the client's resume point, exactly those
   * and none twice: the WebSocket's {@code ?after=} and SSE's Last-Event-ID, each followed by the
   * live change; a resume point that is not one of the caller's ids is a 400.
   */
  @Test
  void aStreamResumesAfterTheLastSeenIdOverWebSocketAndSse() throws Exception {
    String token = h.keys.token("gale");
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration("gale", "Gale")).statusCode())
        .isEqualTo(201);
    for (int i = 1; i <= 3; i++) { // gale:2 .. gale:4
      assertThat(h.put("/api/users/gale/address", token, moveTo(i + " Old Rd")).statusCode())
          .isEqualTo(200);
    }
    GatewayErrorPathsTest.problem(
        h.get("/api/users/gale/notifications?after=erin:2", token), 400, "invalid-request");

    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        h.http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + h.gateway.port()
                        + "/api/users/gale/notifications?after=gale:2"),
                GatewayJourneyTest.collector(messages))
            .get(10, TimeUnit.SECONDS);
    assertThat(idsUntil(messages, "gale:4")).containsExactly("gale:3", "gale:4");

    HttpResponse<Stream<String>> sse =
        h.http.send(
            h.request("/api/users/gale/events", null)
                .header("Authorization", "Bearer " + token)
                .header("Last-Event-ID", "gale:3")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(sse.statusCode()).isEqualTo(200);
    BlockingQueue<String> sseIds = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () ->
                sse.body()
                    .filter(line -> line.startsWith("id:"))
                    .forEach(line -> sseIds.add(line.substring(3).trim())),
            "sse-reader");
    reader.setDaemon(true);
    reader.start();
    assertThat(sseIds.poll(20, TimeUnit.SECONDS)).isEqualTo("gale:4");

    assertThat(h.put("/api/users/gale/address", token, moveTo("4 New Rd")).statusCode())
        .isEqualTo(200); // gale:5, live on both
    assertThat(idsUntil(messages, "gale:5")).containsExactly("gale:5");
    assertThat(sseIds.poll(20, TimeUnit.SECONDS)).isEqualTo("gale:5");
    assertThat(messages.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    assertThat(sseIds.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    sse.body().close();
  }
}
