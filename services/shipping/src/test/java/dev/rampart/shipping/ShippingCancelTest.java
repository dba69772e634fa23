package dev.rampart.shipping;

import static dev.rampart.shipping.ShippingGrpcTest.carrierEvent;
import static dev.rampart.shipping.ShippingGrpcTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.rampart.carrier.CarrierSimulator;
import dev.rampart.contract.Env;
import dev.rampart.proto.shipping.v1.CancelShipmentRequest;
import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse.Outcome;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CancelShipment against a real Shipping node (journal in PostgreSQL) booking with the carrier
 * simulator over HTTP. The simulator's webhooks go to a recorder here, and come at the earliest
 * {@link #WEBHOOK_DELAY} after a booking: a cancelled parcel's never come.
 */
class ShippingCancelTest {
  private static final Duration WEBHOOK_DELAY = Duration.ofSeconds(2);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> webhooks = new CopyOnWriteArrayList<>();
  private static TestDatabase db;
  private static HttpServer webhookRecorder;
  private static CarrierSimulator carrier;
  private static ServiceNodes.Shipping shipping;
  private static ShippingServiceClient client;
  private static String carrierUrl;

  @BeforeAll
  static void start() throws Exception {
    db = Postgres.shared().createDatabase("shipping_cancel");
    webhookRecorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    webhookRecorder.createContext(
        "/",
        exchange -> {
          try (exchange) {
            webhooks.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
          }
        });
    webhookRecorder.start();
    int carrierPort = FreePorts.on("127.0.0.1");
    carrierUrl = "http://127.0.0.1:" + carrierPort;
    carrier =
        CarrierSimulator.start(
            Map.of(
                "CARRIER_PORT",
                String.valueOf(carrierPort),
                "CARRIER_WEBHOOK_BASE",
                "http://127.0.0.1:" + webhookRecorder.getAddress().getPort(),
                "CARRIER_MIN_DELAY_MS",
                String.valueOf(WEBHOOK_DELAY.toMillis()),
                "CARRIER_MAX_DELAY_MS",
                String.valueOf(WEBHOOK_DELAY.toMillis() + 500)));
    shipping =
        new ServiceNodes.Shipping(
            ServiceNodes.nodeEnv(
                "127.0.0.6",
                Map.of(
                    Env.JDBC_URL, db.jdbcUrl(),
                    Env.JDBC_USER, db.user(),
                    Env.JDBC_PASSWORD, db.password())),
            ConfigFactory.parseMap(
                Map.of(
                    "rampart.shipping.carrier.url",
                    carrierUrl,
                    // bookings wait a moment: a cancel right after creation comes before them
                    "rampart.shipping.carrier-latency",
                    "1s")));
    client = shipping.client();
  }

  @AfterAll
  static void stop() throws Exception {
    if (shipping != null) shipping.close();
    if (carrier != null) carrier.close();
    if (webhookRecorder != null) webhookRecorder.stop(0);
    if (db != null) db.close();
  }

  @Test
  void aCancelRightAfterCreationMeansTheParcelIsNeverBooked() {
    ServiceNodes.join(client.createShipment(ShippingGrpcTest.create("race-1", "alice")));
    Shipment cancelled = cancel("race-1");
    assertThat(cancelled.getStatus()).isEqualTo("CANCELLED");
    // the queued booking comes due, and is not sent
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> atCarrier("race-1").statusCode() == 404 && get("race-1").equals("CANCELLED"));
    assertThat(webhooks).noneMatch(path -> path.contains("/race-1/"));
  }

  @Test
  void aBookedParcelIsCancelledAtTheCarrierAndItsWebhooksNeverCome() {
    ServiceNodes.join(client.createShipment(ShippingGrpcTest.create("booked-1", "alice")));
    await().atMost(Duration.ofSeconds(20)).until(() -> get("booked-1").equals("BOOKED"));
    assertThat(cancel("booked-1").getStatus()).isEqualTo("CANCELLED");
    assertThat(atCarrier("booked-1").body()).contains("\"cancelled\":true");
    // idempotent, at the carrier too
    assertThat(cancel("booked-1").getStatus()).isEqualTo("CANCELLED");
    assertThat(atCarrier("booked-1").body()).contains("\"cancelled\":true");
    // the carrier's news of a cancelled parcel changes nothing
    var late =
        ServiceNodes.join(
            client.recordCarrierEvent(
                carrierEvent("booked-1", "late-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT)));
    assertThat(late.getOutcome()).isEqualTo(Outcome.OUTCOME_STALE);
    assertThat(late.getShipment().getStatus()).isEqualTo("CANCELLED");
    await()
        .during(WEBHOOK_DELAY.plusSeconds(2))
        .atMost(WEBHOOK_DELAY.plusSeconds(6))
        .until(() -> webhooks.stream().noneMatch(path -> path.contains("/booked-1/")));
    // never created again
    assertThat(
            statusOf(client.createShipment(ShippingGrpcTest.create("booked-1", "alice"))).getCode())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void aCancelBeforeCreationLeavesATombstoneThatRefusesTheCreation() {
    assertThat(cancel("early-1").getStatus()).isEqualTo("CANCELLED");
    assertThat(cancel("early-1").getStatus()).isEqualTo("CANCELLED");
    assertThat(
            statusOf(client.createShipment(ShippingGrpcTest.create("early-1", "alice"))).getCode())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(get("early-1")).isEqualTo("CANCELLED");
    assertThat(atCarrier("early-1").statusCode()).isEqualTo(404);
  }

  @Test
  void aPickedUpParcelCannotBeCancelled() {
    ServiceNodes.join(client.createShipment(ShippingGrpcTest.create("picked-1", "alice")));
    await().atMost(Duration.ofSeconds(20)).until(() -> get("picked-1").equals("BOOKED"));
    ServiceNodes.join(
        client.recordCarrierEvent(
            carrierEvent("picked-1", "pick-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT)));
    assertThat(statusOf(client.cancelShipment(request("picked-1"))).getCode())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(get("picked-1")).isEqualTo("IN_TRANSIT");
    assertThat(atCarrier("picked-1").body()).contains("\"cancelled\":false");
  }

  private static CancelShipmentRequest request(String id) {
    return CancelShipmentRequest.newBuilder()
        .setShipmentId(id)
        .setReason("order cancelled")
        .build();
  }

  private static Shipment cancel(String id) {
    return ServiceNodes.join(client.cancelShipment(request(id)));
  }

  private static String get(String id) {
    return ServiceNodes.join(
            client.getShipment(GetShipmentRequest.newBuilder().setShipmentId(id).build()))
        .getStatus();
  }

  private static HttpResponse<String> atCarrier(String id) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(carrierUrl + "/v1/bookings/" + id)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
