package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  static RealUserService userService;
  static FakeUpstreams fakeOrders;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    userService = RealUserService.start();
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

    // The service's pub-sub learns of a new subscriber asynchronously (receptionist), and a
    // notification
    // published before that is dropped upstream; so change the address until one comes through the
    // relay.
    String message = null;
    for (int attempt = 0; attempt < 10 && message == null; attempt++) {
      HttpResponse<String> moved =
          h.put(
              "/api/users/erin/address",
              token,
              "{\"street\":\""
                  + attempt
                  + " Harbour"
                  + " Rd\",\"city\":\"Portsmouth\",\"postalCode\":\"PO1\",\"country\":\"GB\"}");
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      assertThat(GatewayHarness.json(moved).get("address").get("city").asText())
          .isEqualTo("Portsmouth");
      message = messages.poll(5, TimeUnit.SECONDS);
    }
    assertThat(message).as("AddressChanged notification over the WebSocket").isNotNull();
    JsonNode notification = GatewayHarness.JSON.readTree(message);
    assertThat(notification.get("kind").asText()).isEqualTo("addressChanged");
    assertThat(notification.get("userId").asText()).isEqualTo("erin");
    assertThat(notification.get("addressChanged").get("city").asText()).isEqualTo("Portsmouth");
    assertThat(notification.get("id").asText()).isNotBlank();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }
}
