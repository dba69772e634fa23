package dev.rampart.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real Shipping nodes: the carrier-booking producers are a fixed set of ids spread over the
 * cluster, not one per pod. When a node leaves, its producer ids run again on the others (with
 * their durable queues), so the cluster always has all of them and bookings keep completing.
 */
class CarrierBookingProducersTest {
  static final List<ServiceNodes.Shipping> nodes = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (Map<String, String> env :
        ServiceNodes.clusterEnvs(3, ServiceNodes.h2("shipping-producers"))) {
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
    nodes.parallelStream().forEach(ServiceNodes.Shipping::close);
  }

  static Set<ActorRef<CarrierBookingProducer.Command>> producers(ServiceNodes.Shipping via) {
    var system = via.runtime.system();
    Receptionist.Listing listing =
        ServiceNodes.join(
            AskPattern.ask(
                system.receptionist(),
                (ActorRef<Receptionist.Listing> replyTo) ->
                    Receptionist.find(CarrierBookingProducers.KEY, replyTo),
                Duration.ofSeconds(5),
                system.scheduler()));
    return listing.getServiceInstances(CarrierBookingProducers.KEY);
  }

  @Test
  void everyProducerIdRunsAgainWhenItsNodeLeavesAndBookingsComplete() {
    var survivor = nodes.get(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(producers(survivor)).hasSize(CarrierBookingProducers.COUNT));
    String leaving = nodes.get(2).runtime.system().address().toString();
    assertThat(producers(survivor))
        .extracting(r -> r.path().address().toString())
        .as("the producers are spread over the cluster")
        .hasSizeGreaterThan(0);

    nodes.get(2).close();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(producers(survivor))
                    .hasSize(CarrierBookingProducers.COUNT)
                    .noneMatch(r -> r.path().address().toString().equals(leaving)));

    int total = 12;
    for (int i = 0; i < total; i++) {
      var request =
          CreateShipmentRequest.newBuilder()
              .setOrderId("after-leave-" + i)
              .setCustomerId("alice")
              .setAddress(ShippingClusterTest.HOME)
              .build();
      // as Order does: UNAVAILABLE ("retry CreateShipment") while a moved producer registers again
      // is retried; CreateShipment is idempotent
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptionsInstanceOf(IllegalStateException.class)
          .until(() -> ServiceNodes.join(survivor.client().createShipment(request)) != null);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<String> notBooked = new ArrayList<>();
              for (int i = 0; i < total; i++) {
                if (!ShippingClusterTest.booked(nodes.get(1), "after-leave-" + i)) {
                  notBooked.add("after-leave-" + i);
                }
              }
              assertThat(notBooked).isEmpty();
            });
  }
}
