package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

class SystemWallTest {
  @Test
  void onePolicyToDenyAllAndOnePerComponent() {
    var shop = Samples.shop("ns");
    assertThat(SystemWall.of(shop))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(
            "shop-deny-all", "shop-order", "shop-user", "shop-shipping", "shop-gateway");
  }

  @Test
  void withoutGatewayNoGatewayPolicyAndNoGatewayPeer() {
    var shop = Samples.shop("ns");
    shop.getSpec().gateway = null;
    var policies = SystemWall.of(shop);
    assertThat(policies).extracting(p -> p.getMetadata().getName()).doesNotContain("shop-gateway");
    NetworkPolicy order = policies.get(1);
    // nobody calls order and no gateway routes to it: no gRPC ingress at all
    assertThat(order.getSpec().getIngress())
        .noneMatch(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8101));
  }

  @Test
  void egressPortsComeFromTheSpec() {
    assertThat(SystemWall.kafkaPorts("a:9092,b:9093,c:9092")).containsExactly(9092, 9093);
    assertThat(SystemWall.databasePort("jdbc:postgresql://db.x:6432/shop")).isEqualTo(6432);
    assertThat(SystemWall.databasePort("jdbc:postgresql://db.x/shop")).isEqualTo(5432);
  }

  @Test
  void noEmptySelectorsThatServerSideApplyWouldSeeAsDrift() {
    SystemWall.of(Samples.shop("ns"))
        .forEach(
            p -> {
              assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNotEmpty();
              p.getSpec()
                  .getIngress()
                  .forEach(
                      r ->
                          r.getFrom()
                              .forEach(
                                  peer -> {
                                    if (peer.getNamespaceSelector() != null) {
                                      assertThat(peer.getNamespaceSelector().getMatchExpressions())
                                          .isNotEmpty();
                                    }
                                  }));
            });
  }
}
