package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.rampart.carrier.CarrierSimulator;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shipping books with the carrier simulator over HTTP when a carrier URL is set: a real Shipping
 * node and the simulator as its own HTTP server. While the carrier is unreachable the booking stays
 * unconfirmed in the durable queue and is tried again; once the carrier is up the shipment is
 * BOOKED with the carrier's own booking.
 */
class ShippingCarrierHttpTest {

  @Test
  void aBookingWaitsForAnUnreachableCarrierAndIsThenBookedWithIt() throws Exception {
    int carrierPort = FreePorts.on("127.0.0.1");
    String carrierUrl = "http://127.0.0.1:" + carrierPort;
    try (var shipping =
        new ServiceNodes.Shipping(
            ServiceNodes.nodeEnv("127.0.0.5", ServiceNodes.h2("shipping-carrier")),
            ConfigFactory.parseMap(
                Map.of(
                    "rampart.shipping.carrier.url",
                    carrierUrl,
                    "rampart.shipping.carrier.timeout",
                    "2s")))) {
      ShippingServiceClient client = shipping.client();
      ServiceNodes.join(client.createShipment(ShippingGrpcTest.create("http-1", "alice")));
      GetShipmentRequest get = GetShipmentRequest.newBuilder().setShipmentId("http-1").build();
      // no carrier listening: the shipment is not booked, whatever time passes (several retries)
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> ServiceNodes.join(client.getShipment(get)).getStatus().equals("CREATED"));

      try (CarrierSimulator carrier =
          CarrierSimulator.start(Map.of("CARRIER_PORT", String.valueOf(carrierPort)))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ServiceNodes.join(client.getShipment(get)).getStatus().equals("BOOKED"));
        Shipment booked = ServiceNodes.join(client.getShipment(get));
        var atCarrier =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(carrierUrl + "/v1/bookings/http-1")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(atCarrier.statusCode()).isEqualTo(200);
        assertThat(booked.getCarrier()).isEqualTo("SIMULATED-CARRIER");
        assertThat(atCarrier.body())
            .contains("\"trackingCode\":\"" + booked.getTrackingCode() + "\"");
      }
    }
  }
}
