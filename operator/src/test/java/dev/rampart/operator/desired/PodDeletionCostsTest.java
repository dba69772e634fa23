package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Labels;
import dev.rampart.operator.status.PodClusterView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDeletionCostsTest {
  private static final String T1 = "2026-12-01T10:00:00Z";
  private static final String T2 = "2026-12-01T10:05:00Z";
  private static final String T3 = "2026-12-01T10:10:00Z";

  @Test
  void theAkkaOldestCostsMostEvenWhenItsPodStartedLast() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-order-b", "order", "10.0.0.2", T2),
            pod("shop-order-c", "order", "10.0.0.3", T3));
    var view = view("shop-order-a", "order", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3");

    assertThat(PodDeletionCosts.of(pods, List.of(view)))
        .isEqualTo(Map.of("shop-order-c", "3", "shop-order-a", "2", "shop-order-b", "1"));
  }

  @Test
  void withoutAnOldestTheOlderPodCostsMore() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T2),
            pod("shop-order-b", "order", "10.0.0.2", T1));
    var view = view("shop-order-a", "order", null, "10.0.0.1", "10.0.0.2");

    assertThat(PodDeletionCosts.of(pods, List.of(view)))
        .isEqualTo(Map.of("shop-order-b", "2", "shop-order-a", "1"));
  }

  @Test
  void unknownMembershipLeavesTheServicesPodsAsTheyAre() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-user-a", "user", "10.0.1.1", T1));
    var userView = view("shop-user-a", "user", "10.0.1.1", "10.0.1.1");

    assertThat(PodDeletionCosts.of(pods, List.of(userView))).isEqualTo(Map.of("shop-user-a", "1"));
    assertThat(PodDeletionCosts.of(pods, List.of())).isEmpty();
  }

  @Test
  void podsThatAreNotUpMembersCostLeast() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-order-b", "order", "10.0.0.2", T2),
            pod("shop-order-new", "order", null, null));
    var view = view("shop-order-a", "order", "10.0.0.1", "10.0.0.1");

    assertThat(PodDeletionCosts.of(pods, List.of(view)))
        .isEqualTo(Map.of("shop-order-a", "1", "shop-order-b", "0", "shop-order-new", "0"));
  }

  @Test
  void equalStartTimesAreOrderedByNameTheSameEveryTime() {
    var pods =
        List.of(
            pod("shop-order-b", "order", "10.0.0.2", T1),
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-order-c", "order", "10.0.0.3", T1));
    var view = view("shop-order-a", "order", "10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.3");

    var costs = Map.of("shop-order-b", "3", "shop-order-a", "2", "shop-order-c", "1");
    assertThat(PodDeletionCosts.of(pods, List.of(view))).isEqualTo(costs);
    assertThat(PodDeletionCosts.of(List.of(pods.get(2), pods.get(1), pods.get(0)), List.of(view)))
        .isEqualTo(costs);
  }

  @Test
  void theMembershipSeenWithTheMostMembersDecides() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-order-b", "order", "10.0.0.2", T2),
            pod("shop-order-c", "order", "10.0.0.3", T3));
    // c has not joined yet and sees itself alone as the oldest of its own
    var alone = view("shop-order-c", "order", "10.0.0.3", "10.0.0.3");
    var cluster = view("shop-order-a", "order", "10.0.0.2", "10.0.0.1", "10.0.0.2");

    assertThat(PodDeletionCosts.of(pods, List.of(alone, cluster)))
        .isEqualTo(Map.of("shop-order-b", "2", "shop-order-a", "1", "shop-order-c", "0"));
  }

  @Test
  void aViewFromAPodThatIsGoneCountsForNothing() {
    var pods =
        List.of(
            pod("shop-order-a", "order", "10.0.0.1", T1),
            pod("shop-order-b", "order", "10.0.0.2", T2));
    // polled before c went: it still saw three members, with itself the oldest
    var gone = view("shop-order-c", "order", "10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3");
    var staying = view("shop-order-a", "order", "10.0.0.2", "10.0.0.1", "10.0.0.2");

    assertThat(PodDeletionCosts.of(pods, List.of(gone, staying)))
        .isEqualTo(Map.of("shop-order-b", "2", "shop-order-a", "1"));
  }

  @Test
  void terminatingAndGatewayPodsGetNoCost() {
    var terminating = pod("shop-order-b", "order", "10.0.0.2", T1);
    terminating.getMetadata().setDeletionTimestamp(T3);
    var gateway = pod("shop-gateway-a", "gateway", "10.0.9.1", T1);
    gateway.getMetadata().getLabels().put(Labels.COMPONENT, Labels.COMPONENT_GATEWAY);
    var pods = List.of(pod("shop-order-a", "order", "10.0.0.1", T1), terminating, gateway);
    var views =
        List.of(
            view("shop-order-a", "order", "10.0.0.1", "10.0.0.1", "10.0.0.2"),
            view("shop-gateway-a", "gateway", "10.0.9.1", "10.0.9.1"));

    assertThat(PodDeletionCosts.of(pods, views)).isEqualTo(Map.of("shop-order-a", "1"));
  }

  @Test
  void ipv6AddressesMatchTheirPods() {
    assertThat(PodDeletionCosts.host("akka://order@[fd00::7]:25520")).isEqualTo("fd00::7");
    assertThat(PodDeletionCosts.host("akka://order@10.0.0.7:25520")).isEqualTo("10.0.0.7");
  }

  @Test
  void aMissingAnnotationIsTheDefaultCost() {
    var pod = pod("shop-order-a", "order", "10.0.0.1", T1);
    assertThat(PodDeletionCosts.differs(pod, "0")).isFalse();
    assertThat(PodDeletionCosts.differs(pod, "1")).isTrue();
    pod.getMetadata().setAnnotations(Map.of(PodDeletionCosts.ANNOTATION, "1"));
    assertThat(PodDeletionCosts.differs(pod, "1")).isFalse();
    assertThat(PodDeletionCosts.differs(pod, "0")).isTrue();
  }

  private static Pod pod(String name, String service, String ip, String started) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(started)
        .addToLabels(Labels.SERVICE, service)
        .addToLabels(Labels.COMPONENT, Labels.COMPONENT_SERVICE)
        .endMetadata()
        .withNewStatus()
        .withPodIP(ip)
        .withStartTime(started)
        .endStatus()
        .build();
  }

  private static PodClusterView view(String pod, String service, String oldestIp, String... ips) {
    var members = java.util.Arrays.stream(ips).map(ip -> address(service, ip)).toList();
    return new PodClusterView(
        pod,
        service,
        members.get(0),
        oldestIp == null ? null : address(service, oldestIp),
        members,
        0);
  }

  private static String address(String service, String ip) {
    return "akka://" + service + "@" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":25520";
  }
}
