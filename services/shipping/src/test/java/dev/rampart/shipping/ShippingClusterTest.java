package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.user.v1.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real Shipping nodes (127.0.0.1, .2, .3) in one cluster: carrier bookings produced on one
 * node reach the CarrierBooking consumers wherever sharding places them, and a node leaving while
 * bookings are in flight loses none of them (unconfirmed messages are resent to the consumers' new
 * home).
 */
class ShippingClusterTest {
  static final Address HOME =
      Address.newBuilder()
          .setStreet("1 Main St")
          .setCity("Berlin")
          .setPostalCode("10115")
          .setCountry("DE")
          .build();
  static final List<ServiceNodes.Shipping> nodes = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (Map<String, String> env :
        ServiceNodes.clusterEnvs(3, ServiceNodes.h2("shipping-cluster"))) {
      nodes.add(new ServiceNodes.Shipping(env));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                nodes.stream()
                    .allMatch(
                        n ->
                            Cluster.get(n.runtime.system()).state().members().size() == 3
                                && Cluster.get(n.runtime.system()).selfMember().status()
                                    == MemberStatus.up()));
  }

  @AfterAll
  static void stop() {
    nodes.parallelStream()
        .forEach(ServiceNodes.Shipping::close); // closing a closed node is a no-op
  }

  static boolean booked(ServiceNodes.Shipping via, String shipmentId) {
    return ServiceNodes.join(
            via.client()
                .getShipment(GetShipmentRequest.newBuilder().setShipmentId(shipmentId).build()))
        .getStatus()
        .equals("BOOKED");
  }

  @Test
  void bookingsSurviveAConsumerNodeLeavingMidFlow() {
    ServiceNodes.Shipping producer = nodes.get(0);
    int total = 30;
    for (int i = 0; i < total; i++) {
      ServiceNodes.join(
          producer
              .client()
              .createShipment(
                  CreateShipmentRequest.newBuilder()
                      .setOrderId("order-" + i)
                      .setCustomerId("alice")
                      .setAddress(HOME)
                      .build()));
      if (i == 10) {
        nodes.get(2).close(); // leaves while bookings to its CarrierBooking entities are in flight
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<String> notBooked = new ArrayList<>();
              for (int i = 0; i < total; i++) {
                if (!booked(nodes.get(1), "order-" + i)) {
                  notBooked.add("order-" + i);
                }
              }
              assertThat(notBooked).isEmpty();
            });
  }
}
