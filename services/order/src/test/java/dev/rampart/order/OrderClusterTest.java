package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.Order;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three Order nodes on 127.0.0.1/2/3 form one cluster through Cluster Bootstrap (config discovery),
 * share one PostgreSQL journal, and serve every order from every node (sharding routes to the
 * owning node).
 */
@Tag("slow")
class OrderClusterTest {

  @Test
  void orderPlacedOnAnyNodeIsReadableFromEveryNode() throws Exception {
    try (TestDatabase db = Postgres.shared().createDatabase("order_cluster");
        PeerServers peers = new PeerServers("alice", "bob", "carol");
        OrderNodes nodes = OrderNodes.start(3, db, peers, Map.of())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (var node : nodes.all()) {
                  var members = Cluster.get(node.order().runtime().system()).state().getMembers();
                  assertThat(
                          StreamSupport.stream(members.spliterator(), false)
                              .filter(m -> m.status().equals(MemberStatus.up()))
                              .count())
                      .isEqualTo(3);
                }
              });

      String[] customers = {"alice", "bob", "carol"};
      for (int i = 0; i < 9; i++) {
        var placingNode = nodes.node(i % 3);
        Order placed =
            call(
                placingNode
                    .client()
                    .placeOrder(order("c-" + i, customers[i % 3], line("sku-" + i, i + 1, 100))));
        assertThat(placed.getTotalCents()).isEqualTo((i + 1) * 100L);
      }
      for (int i = 0; i < 9; i++) {
        for (var readingNode : nodes.all()) {
          Order got =
              call(
                  readingNode
                      .client()
                      .getOrder(GetOrderRequest.newBuilder().setOrderId("c-" + i).build()));
          assertThat(got.getCustomerId()).isEqualTo(customers[i % 3]);
          assertThat(got.getLines(0).getSku()).isEqualTo("sku-" + i);
        }
      }
    }
  }
}
