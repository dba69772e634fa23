package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.rampart.proto.shipping.v1.CarrierStatus;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventRequest;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse;
import dev.rampart.proto.shipping.v1.RecordCarrierEventResponse.Outcome;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.Address;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Shipping gRPC API over real HTTP/2 on loopback against a one-node Shipping cluster (H2
 * journal, no User peer): bookings by reliable delivery, idempotency, and every kind of bad input
 * mapped to its status.
 */
class ShippingGrpcTest {
  static final Address HOME =
      Address.newBuilder()
          .setStreet("1 Main St")
          .setCity("Berlin")
          .setPostalCode("10115")
          .setCountry("DE")
          .build();

  static ServiceNodes.Shipping shipping;
  static ShippingServiceClient client;

  @BeforeAll
  static void start() {
    shipping = new ServiceNodes.Shipping("127.0.0.3", ServiceNodes.h2("shipping-grpc"), null, 0);
    client = shipping.client();
  }

  @AfterAll
  static void stop() {
    shipping.close();
  }

  static CreateShipmentRequest create(String orderId, String customerId) {
    return CreateShipmentRequest.newBuilder()
        .setOrderId(orderId)
        .setCustomerId(customerId)
        .setAddress(HOME)
        .build();
  }

  static Status statusOf(CompletionStage<?> call) {
    Throwable failure = catchThrowable(() -> ServiceNodes.join(call));
    assertThat(failure).as("the call must fail").isNotNull();
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(StatusRuntimeException.class);
    return ((StatusRuntimeException) root).getStatus();
  }

  @Test
  void aShipmentIsBookedByReliableDeliveryAndCreatingItAgainIsIdempotent() {
    Shipment created = ServiceNodes.join(client.createShipment(create("order-1", "alice")));
    assertThat(created.getShipmentId()).isEqualTo("order-1");
    assertThat(created.getAddress()).isEqualTo(HOME);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ServiceNodes.join(
                        client.getShipment(
                            GetShipmentRequest.newBuilder().setShipmentId("order-1").build()))
                    .getStatus()
                    .equals("BOOKED"));
    Shipment again = ServiceNodes.join(client.createShipment(create("order-1", "alice")));
    assertThat(again.getStatus()).isEqualTo("BOOKED");
    assertThat(again.getCarrier()).isEqualTo("DHL");
    assertThat(again.getTrackingCode()).startsWith("RP");
  }

  static RecordCarrierEventRequest carrierEvent(
      String shipmentId, String eventId, CarrierStatus status) {
    return RecordCarrierEventRequest.newBuilder()
        .setShipmentId(shipmentId)
        .setCarrierEventId(eventId)
        .setStatus(status)
        .setOccurredAt(Timestamp.newBuilder().setSeconds(1_700_000_000L))
        .build();
  }

  static RecordCarrierEventResponse record(RecordCarrierEventRequest request) {
    return ServiceNodes.join(client.recordCarrierEvent(request));
  }

  @Test
  void carrierEventsMoveABookedShipmentForwardOnceAndNeverBack() {
    ServiceNodes.join(client.createShipment(create("order-6", "alice")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ServiceNodes.join(
                        client.getShipment(
                            GetShipmentRequest.newBuilder().setShipmentId("order-6").build()))
                    .getStatus()
                    .equals("BOOKED"));

    var pickedUp = record(carrierEvent("order-6", "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT));
    assertThat(pickedUp.getOutcome()).isEqualTo(Outcome.OUTCOME_APPLIED);
    assertThat(pickedUp.getShipment().getStatus()).isEqualTo("IN_TRANSIT");
    assertThat(pickedUp.getShipment().getCarrier()).isEqualTo("DHL");

    assertThat(
            record(carrierEvent("order-6", "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT))
                .getOutcome())
        .isEqualTo(Outcome.OUTCOME_DUPLICATE);
    assertThat(
            record(carrierEvent("order-6", "c-3", CarrierStatus.CARRIER_STATUS_DELIVERED))
                .getOutcome())
        .isEqualTo(Outcome.OUTCOME_APPLIED);
    var late =
        record(carrierEvent("order-6", "c-2", CarrierStatus.CARRIER_STATUS_OUT_FOR_DELIVERY));
    assertThat(late.getOutcome()).isEqualTo(Outcome.OUTCOME_STALE);
    assertThat(late.getShipment().getStatus()).isEqualTo("DELIVERED");
    assertThat(
            ServiceNodes.join(
                    client.getShipment(
                        GetShipmentRequest.newBuilder().setShipmentId("order-6").build()))
                .getStatus())
        .isEqualTo("DELIVERED");
  }

  @Test
  void aCarrierEventForAnUnknownShipmentIsNotFoundAndBadOnesAreInvalid() {
    assertThat(
            statusOf(
                    client.recordCarrierEvent(
                        carrierEvent("no-such", "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT)))
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    ServiceNodes.join(client.createShipment(create("order-7", "alice")));
    var good = carrierEvent("order-7", "c-1", CarrierStatus.CARRIER_STATUS_IN_TRANSIT);
    for (var bad :
        java.util.List.of(
            good.toBuilder().setStatus(CarrierStatus.CARRIER_STATUS_UNSPECIFIED).build(),
            good.toBuilder().setStatusValue(99).build(),
            good.toBuilder().setCarrierEventId("").build(),
            good.toBuilder().setCarrierEventId("a b").build(),
            good.toBuilder().setShipmentId("../x").build(),
            good.toBuilder().clearOccurredAt().build())) {
      assertThat(statusOf(client.recordCarrierEvent(bad)).getCode())
          .as(bad.toString())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    // none of them changed anything: the good one still applies
    assertThat(record(good).getOutcome()).isEqualTo(Outcome.OUTCOME_APPLIED);
  }

  @Test
  void badInputGetsTheRightStatus() {
    Status missing = statusOf(client.createShipment(CreateShipmentRequest.getDefaultInstance()));
    assertThat(missing.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.getDescription()).contains("order_id", "customer_id");

    Status badAddress =
        statusOf(
            client.createShipment(
                create("order-2", "alice").toBuilder()
                    .setAddress(HOME.toBuilder().setCountry("xx"))
                    .build()));
    assertThat(badAddress.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    assertThat(
            statusOf(
                    client.getShipment(
                        GetShipmentRequest.newBuilder().setShipmentId("nope").build()))
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            statusOf(client.getShipment(GetShipmentRequest.newBuilder().setShipmentId("").build()))
                .getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    // No address in the request and none received from User for this customer
    assertThat(
            statusOf(
                    client.createShipment(
                        CreateShipmentRequest.newBuilder()
                            .setOrderId("order-3")
                            .setCustomerId("stranger")
                            .build()))
                .getCode())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void anOrdersShipmentBelongsToOneCustomer() {
    ServiceNodes.join(client.createShipment(create("order-4", "alice")));
    assertThat(statusOf(client.createShipment(create("order-4", "mallory"))).getCode())
        .isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void anOversizedRequestIsResourceExhaustedAndTheServerKeepsServing() {
    String huge = "x".repeat(2 * 1024 * 1024);
    Status status = statusOf(client.createShipment(create("order-5", huge)));
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ServiceNodes.join(client.createShipment(create("order-5", "alice"))).getShipmentId())
        .isEqualTo("order-5");
  }
}
