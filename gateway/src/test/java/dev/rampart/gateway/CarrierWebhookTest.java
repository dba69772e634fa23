package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.grpc.GrpcClientSettings;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.Address;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The carrier's webhooks through the gateway into the real Shipping service (its own JVM, {@link
 * RealServiceJvm}): partner tokens only (401 without a valid token, 403 for a customer's and for a
 * partner's without the scope, and a partner's on the customers' routes), duplicate and
 * out-of-order events change the shipment once and never move it back, 404 for an unknown shipment,
 * 400 (never a 5xx) for bad input.
 */
@Tag("slow")
class CarrierWebhookTest {
  static final String SCOPE = dev.rampart.contract.Env.DEFAULT_JWT_PARTNER_SCOPE;
  static RealServiceJvm shippingService;
  static GatewayHarness h;
  static ShippingServiceClient shipping;
  static String partner;

  @BeforeAll
  static void start() {
    shippingService = RealServiceJvm.shipping();
    h =
        new GatewayHarness(
            c ->
                c.with(
                        x ->
                            x.routes =
                                GatewayConfig.RouteTable.parse(
                                    GatewayConfig.DEFAULT_ROUTES
                                        + ",/api/carrier=shipping:carrier.v1"))
                    .withEndpoints("shipping", List.of(shippingService.endpoint())));
    shipping =
        ShippingServiceClient.create(
            GrpcClientSettings.connectToServiceAt(
                    shippingService.host, shippingService.grpcPort, h.upstreams.system)
                .withTls(false),
            h.upstreams.system);
    partner = h.keys.partnerToken("simulated-carrier", "tracking:read " + SCOPE);
    // the service is up when the gateway gets the real NOT_FOUND for an unknown shipment
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(shippingService.isAlive()).as("shipping service process alive").isTrue();
              return event("probe", partner, "probe-1", "IN_TRANSIT", "2026-12-01T10:00:00Z")
                      .statusCode()
                  == 404;
            });
  }

  @AfterAll
  static void stop() {
    if (shipping != null) shipping.close();
    if (h != null) h.close();
    if (shippingService != null) shippingService.close();
  }

  @Test
  void onlyPartnerTokensWithTheScopeMayPostEvents() throws Exception {
    String id = bookedShipment("auth-1");
    String body = body("e-1", "IN_TRANSIT", "2026-12-01T10:00:00Z");
    GatewayErrorPathsTest.problem(post(id, null, body, "e-1"), 401, "unauthorized");
    GatewayErrorPathsTest.problem(post(id, "not.a.jwt", body, "e-1"), 401, "unauthorized");
    GatewayErrorPathsTest.problem(post(id, h.keys.token("alice"), body, "e-1"), 403, "forbidden");
    GatewayErrorPathsTest.problem(
        post(id, h.keys.partnerToken("simulated-carrier", "tracking:read"), body, "e-1"),
        403,
        "forbidden");
    // none of these changed the shipment
    assertThat(status(id)).isEqualTo("BOOKED");

    // a partner's token is for carrier events only
    GatewayErrorPathsTest.problem(h.get("/api/orders/o-1", partner), 403, "forbidden");
    GatewayErrorPathsTest.problem(h.get("/api/users/simulated-carrier", partner), 403, "forbidden");
    GatewayErrorPathsTest.problem(
        h.post("/api/orders", partner, GatewayHarness.order("o-1", "sku-1")), 403, "forbidden");

    assertThat(post(id, partner, body, "e-1").statusCode()).isEqualTo(202);
    assertThat(status(id)).isEqualTo("IN_TRANSIT");
  }

  @Test
  void duplicatesAndLateEventsChangeTheShipmentOnceAndNeverBackwards() throws Exception {
    String id = bookedShipment("journey-1");
    HttpResponse<String> pickedUp = event(id, partner, "t-1", "IN_TRANSIT", "2026-12-01T10:00:00Z");
    assertThat(pickedUp.statusCode()).as(pickedUp.body()).isEqualTo(202);
    JsonNode applied = GatewayHarness.json(pickedUp);
    assertThat(applied.get("outcome").asText()).isEqualTo("APPLIED");
    assertThat(applied.get("shipment").get("status").asText()).isEqualTo("IN_TRANSIT");
    assertThat(applied.get("shipment").get("trackingCode").asText()).isNotBlank();
    assertThat(applied.get("shipment").has("address")).isFalse();

    HttpResponse<String> again = event(id, partner, "t-1", "IN_TRANSIT", "2026-12-01T10:00:00Z");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.json(again).get("outcome").asText()).isEqualTo("DUPLICATE");

    // delivered reported before out-for-delivery: the late one is stale and changes nothing
    HttpResponse<String> delivered = event(id, partner, "t-3", "DELIVERED", "2026-12-01T12:00:00Z");
    assertThat(delivered.statusCode()).isEqualTo(202);
    HttpResponse<String> late =
        event(id, partner, "t-2", "OUT_FOR_DELIVERY", "2026-12-01T11:00:00Z");
    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.json(late).get("outcome").asText()).isEqualTo("STALE");
    assertThat(GatewayHarness.json(late).get("shipment").get("status").asText())
        .isEqualTo("DELIVERED");
    HttpResponse<String> latePickup =
        event(id, partner, "t-1b", "IN_TRANSIT", "2026-12-01T10:00:00Z");
    assertThat(GatewayHarness.json(latePickup).get("outcome").asText()).isEqualTo("STALE");
    assertThat(status(id)).isEqualTo("DELIVERED");
    // the event id may come from the body alone
    HttpResponse<String> bodyOnly =
        post(id, partner, body("t-3", "DELIVERED", "2026-12-01T12:00:00Z"), null);
    assertThat(GatewayHarness.json(bodyOnly).get("outcome").asText()).isEqualTo("DUPLICATE");
  }

  @Test
  void unknownShipmentIs404AndBadInputIs400() throws Exception {
    GatewayErrorPathsTest.problem(
        event("no-such-shipment", partner, "x-1", "IN_TRANSIT", "2026-12-01T10:00:00Z"),
        404,
        "not-found");
    String id = bookedShipment("bad-1");
    String ok = body("b-1", "IN_TRANSIT", "2026-12-01T10:00:00Z");
    GatewayErrorPathsTest.problem(post("bad id!", partner, ok, "b-1"), 400, "validation");
    GatewayErrorPathsTest.problem(
        post(id, partner, body("b-1", "LOST_IN_SPACE", "2026-12-01T10:00:00Z"), "b-1"),
        400,
        "validation");
    GatewayErrorPathsTest.problem(
        post(id, partner, body("b-1", "IN_TRANSIT", "yesterday"), "b-1"), 400, "validation");
    GatewayErrorPathsTest.problem(post(id, partner, ok, "other-key"), 400, "validation");
    GatewayErrorPathsTest.problem(post(id, partner, ok, "bad key!"), 400, "validation");
    GatewayErrorPathsTest.problem(
        post(
            id,
            partner,
            "{\"status\":\"IN_TRANSIT\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}",
            null),
        400,
        "validation");
    GatewayErrorPathsTest.problem(
        post(id, partner, "{\"eventId\":\"b-1\"}", "b-1"), 400, "validation");
    GatewayErrorPathsTest.problem(post(id, partner, "{not json", "b-1"), 400, "invalid-request");
    GatewayErrorPathsTest.problem(post(id, partner, "[1,2]", "b-1"), 400, "invalid-request");
    HttpResponse<String> notJson =
        h.send(
            h.request("/api/carrier/v1/shipments/" + id + "/events", partner)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(ok))
                .build());
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(h.get("/api/carrier/v1/shipments/" + id + "/events", partner).statusCode())
        .isEqualTo(405);
    assertThat(status(id)).isEqualTo("BOOKED");
  }

  @Test
  void theOpenApiDocumentListsTheMountedCarrierPath() {
    JsonNode doc = GatewayHarness.json(h.get("/openapi.json", null));
    assertThat(doc.get("paths").has("/api/carrier/v1/shipments/{id}/events")).isTrue();
  }

  /** A shipment Shipping has booked with its local carrier. */
  static String bookedShipment(String id) throws Exception {
    shipping
        .createShipment(
            CreateShipmentRequest.newBuilder()
                .setOrderId(id)
                .setCustomerId("alice")
                .setAddress(
                    Address.newBuilder()
                        .setStreet("1 Main St")
                        .setCity("Springfield")
                        .setPostalCode("12345")
                        .setCountry("DE"))
                .build())
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("BOOKED"));
    return id;
  }

  static String status(String id) throws Exception {
    return shipping
        .getShipment(GetShipmentRequest.newBuilder().setShipmentId(id).build())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .getStatus();
  }

  static String body(String eventId, String status, String occurredAt) {
    return "{\"eventId\":\""
        + eventId
        + "\",\"status\":\""
        + status
        + "\",\"occurredAt\":\""
        + occurredAt
        + "\",\"location\":\"Hub 7\"}";
  }

  static HttpResponse<String> event(
      String id, String token, String eventId, String status, String occurredAt) {
    return post(id, token, body(eventId, status, occurredAt), eventId);
  }

  static HttpResponse<String> post(String id, String token, String json, String idempotencyKey) {
    HttpRequest.Builder b =
        h.request(
                "/api/carrier/v1/shipments/"
                    + id.replace(" ", "%20").replace("!", "%21")
                    + "/events",
                token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    return h.send(b.build());
  }
}
