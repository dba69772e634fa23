package dev.rampart.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.ClusterMembership;
import dev.rampart.operator.api.v1alpha1.GatewayRoute;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.desired.GatewayDeployment;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.desired.ServiceDeployment;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rollup as a pure function: observations built as the API server would return them, the status
 * asserted. The shop sample: order, user, shipping (2 replicas each), 2 topics, a gateway.
 */
class StatusRollupTest {
  static final String T0 = "2026-11-26T10:00:00Z";
  static final String T1 = "2026-11-26T11:00:00Z";
  private final MicroserviceSystem shop = shop();
  private final Map<String, Deployment> deployments = readyDeployments();
  private final Map<String, List<Pod>> pods = new LinkedHashMap<>();
  private Optional<Map<String, KafkaTopic>> topics = Optional.of(readyTopics());
  private Optional<HasMetadata> route = Optional.of(acceptedRoute());
  private final Map<String, List<PodClusterView>> views = oneClusterPerService();
  private final List<Ref> missing = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  static MicroserviceSystem shop() {
    var shop = Samples.shop("ns");
    shop.getMetadata().setGeneration(7L);
    return shop;
  }

  @Test
  void everythingReady() {
    var status = rollup();
    assertThat(status.observedGeneration).isEqualTo(7L);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("all 3 services, 2 topics and the gateway are ready");
    assertThat(condition(status, "Ready").getObservedGeneration()).isEqualTo(7L);
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
    assertThat(status.servicesReady).isEqualTo("3/3");
    assertThat(status.topicsReady).isEqualTo("2/2");
    assertThat(status.gateway.ready).isTrue();
    assertThat(status.gateway.url).isEqualTo("https://shop.example.com");
    assertThat(status.services.get(0).clusterMembers).isEqualTo(new ClusterMembership(2, 0));
  }

  @Test
  void fewerAkkaMembersUpThanReplicasIsNotReady() {
    views.put("user", List.of(view("shop-user-a", "user", "a", List.of("a"))));
    var status = rollup();
    assertThat(status.services.get(1).ready).isFalse();
    assertThat(condition(status, "ServicesReady").getMessage())
        .isEqualTo("user: 1/2 Akka cluster members Up");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ServicesNotReady");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void unknownMembershipIsNotReady() {
    views.remove("shipping");
    var status = rollup();
    assertThat(status.services.get(2).clusterMembers).isNull();
    assertThat(condition(status, "ServicesReady").getMessage())
        .startsWith("shipping: Akka membership not known yet");
  }

  @Test
  void podsThatDisagreeOnTheLeaderAreASplitAndDegraded() {
    views.put(
        "order",
        List.of(
            view("shop-order-a", "order", "a", List.of("a")),
            view("shop-order-b", "order", "b", List.of("b"))));
    var status = rollup();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ClusterSplit");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo(
            "order: pods disagree on the Akka cluster (split or second cluster): shop-order-a see"
                + " leader a with 1 member(s) Up; shop-order-b see leader b with 1 member(s) Up");
  }

  @Test
  void podsThatDisagreeOnTheMembersAreASplit() {
    views.put(
        "order",
        List.of(
            view("shop-order-a", "order", "a", List.of("a", "b")),
            view("shop-order-b", "order", "a", List.of("a", "c"))));
    assertThat(condition(rollup(), "Ready").getReason()).isEqualTo("ClusterSplit");
  }

  @Test
  void unreachableAkkaMembersMakeAServiceNotReady() {
    views.put(
        "order",
        List.of(
            new PodClusterView("shop-order-a", "order", "a", "a", List.of("a", "b"), 1),
            new PodClusterView("shop-order-b", "order", "a", "a", List.of("a", "b"), 1)));
    var status = rollup();
    assertThat(status.services.get(0).clusterMembers).isEqualTo(new ClusterMembership(2, 1));
    assertThat(status.services.get(1).ready).isTrue();
    assertThat(condition(status, "ServicesReady").getMessage())
        .contains("order: 1 Akka cluster member(s) unreachable");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ServicesNotReady");
  }

  @Test
  void readyReplicasOfOldPodsDoNotMakeAServiceReady() {
    // 2 ready, but one of them is an old pod: the new ReplicaSet has 1 of 2 available
    var status = deployments.get("user").getStatus();
    status.setReplicas(3);
    status.setUpdatedReplicas(2);
    status.setReadyReplicas(2);
    status.setAvailableReplicas(2);
    assertThat(condition(rollup(), "ServicesReady").getMessage())
        .isEqualTo("user: rolling out, 1 old pod(s) still running");
  }

  @Test
  void rolloutInProgressIsNotReady() {
    deployments.get("user").getStatus().setUpdatedReplicas(1);
    assertThat(condition(rollup(), "ServicesReady").getMessage())
        .isEqualTo("user: rolling out, 1/2 pods updated");
  }

  @Test
  void unavailablePodsAreNotReady() {
    deployments.get("user").getStatus().setAvailableReplicas(1);
    assertThat(condition(rollup(), "ServicesReady").getMessage())
        .startsWith("user: 1/2 pods available");
  }

  @Test
  void progressDeadlineExceededIsDegradedWithThatReason() {
    deployments
        .get("user")
        .getStatus()
        .setConditions(
            List.of(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .withMessage("ReplicaSet \"shop-user-5d4\" has timed out progressing.")
                    .build()));
    views.remove("order"); // not ready yet, but not broken: not part of Degraded
    var status = rollup();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Degraded").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(condition(status, "Degraded").getMessage())
        .isEqualTo(
            "user: Deployment shop-user exceeded its progress deadline: ReplicaSet"
                + " \"shop-user-5d4\" has timed out progressing.");
    assertThat(condition(status, "ServicesReady").getMessage())
        .isEqualTo(
            "order: Akka membership not known yet (no pod answered on its management port"
                + " /cluster/members); user: Deployment shop-user exceeded its progress deadline:"
                + " ReplicaSet \"shop-user-5d4\" has timed out progressing.");
  }

  @Test
  void replicaFailureIsDegraded() {
    deployments
        .get("gateway")
        .getStatus()
        .setConditions(
            List.of(
                new DeploymentConditionBuilder()
                    .withType("ReplicaFailure")
                    .withStatus("True")
                    .withReason("FailedCreate")
                    .withMessage("pods \"shop-gateway-1\" is forbidden: exceeded quota: pods")
                    .build()));
    var status = rollup();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ReplicaFailure");
    assertThat(condition(status, "GatewayReady").getMessage())
        .contains("gateway: Deployment shop-gateway cannot create pods: pods \"shop-gateway-1\"");
  }

  @Test
  void aPodInCrashLoopBackOffIsNamedInTheMessage() {
    pods.put(
        "shipping",
        List.of(
            waitingPod("shop-shipping-7c9-x2x", "CrashLoopBackOff", "back-off 40s restarting"),
            waitingPod("shop-shipping-7c9-a1a", "ContainerCreating", null)));
    var status = rollup();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(status, "ServicesReady").getMessage())
        .isEqualTo(
            "shipping: pod shop-shipping-7c9-x2x CrashLoopBackOff (container service: back-off"
                + " 40s restarting)");
  }

  @Test
  void imagePullBackOffIsNamedEvenDuringTheRollout() {
    deployments.get("order").getStatus().setUpdatedReplicas(1);
    pods.put("order", List.of(waitingPod("shop-order-1", "ImagePullBackOff", null)));
    var status = rollup();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ImagePullBackOff");
    assertThat(condition(status, "ServicesReady").getMessage())
        .isEqualTo("order: pod shop-order-1 ImagePullBackOff (container service)");
  }

  @Test
  void aKafkaTopicReadyAtAnOlderGenerationIsNotReady() {
    var topic = topics.get().get("order-events");
    topic.getMetadata().setGeneration(3L);
    topic.getStatus().setObservedGeneration(2L);
    var status = rollup();
    assertThat(status.topics.get(0).ready).isFalse();
    assertThat(status.topicsReady).isEqualTo("1/2");
    assertThat(condition(status, "TopicsReady").getMessage())
        .isEqualTo(
            "order-events: Strimzi has not yet reported on generation 3 of KafkaTopic"
                + " shop-order-events (last reported: 2)");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void kafkaTopicCrdNotInstalledIsSaidAsSuch() {
    topics = Optional.empty();
    var status = rollup();
    assertThat(condition(status, "TopicsReady").getReason()).isEqualTo("KafkaTopicCrdNotInstalled");
    assertThat(condition(status, "TopicsReady").getMessage())
        .startsWith("Strimzi's KafkaTopic CRD (kafkatopics.kafka.strimzi.io) is not installed");
    assertThat(status.topics).allSatisfy(t -> assertThat(t.message).doesNotContain("not created"));
  }

  @Test
  void anHttpRouteNotAcceptedByItsGatewayIsNotReady() {
    var routeStatus = ((HTTPRoute) route.orElseThrow()).getStatus().getParents().get(0);
    routeStatus.setConditions(
        List.of(
            parentCondition("Accepted", "False", "NotAllowedByListeners"),
            parentCondition("ResolvedRefs", "True", "ResolvedRefs")));
    var status = rollup();
    assertThat(status.gateway.ready).isFalse();
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("RouteNotAccepted");
    assertThat(condition(status, "GatewayReady").getMessage())
        .isEqualTo(
            "HTTPRoute shop-gateway: Gateway infra/public-gateway: Accepted False"
                + " (NotAllowedByListeners: no message)");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  /** A route stored before the CRD could refuse it: said in status, never given to the gateway. */
  @Test
  void aRouteWithoutAnHttpMappingIsDegradedAndNamed() {
    shop.getSpec().gateway.routes.add(new GatewayRoute("/shop/carts", "order"));
    var status = rollup();
    assertThat(status.gateway.ready).isFalse();
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("UnsupportedRoute");
    assertThat(condition(status, "GatewayReady").getMessage())
        .isEqualTo(
            "spec.gateway.routes not served: /shop/carts: names no HTTP mapping (set api to"
                + " users.v1, orders.v1 or carrier.v1)");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
  }

  @Test
  void anHttpRouteNoGatewayReportedOnIsNotReady() {
    ((HTTPRoute) route.orElseThrow()).getStatus().setParents(List.of());
    assertThat(condition(rollup(), "GatewayReady").getMessage())
        .startsWith("HTTPRoute shop-gateway: Gateway infra/public-gateway has not reported on it");
  }

  @Test
  void unresolvedBackendsAreNotReady() {
    var routeStatus = ((HTTPRoute) route.orElseThrow()).getStatus().getParents().get(0);
    routeStatus.setConditions(
        List.of(
            parentCondition("Accepted", "True", "Accepted"),
            parentCondition("ResolvedRefs", "False", "BackendNotFound")));
    assertThat(condition(rollup(), "GatewayReady").getMessage())
        .contains("ResolvedRefs False (BackendNotFound");
  }

  @Test
  void missingSecretIsTheFirstThingSaid() {
    deployments.clear();
    missing.add(new Ref(Ref.SECRET, "shop-db", "spec.persistence.jdbc.credentialsSecret"));
    var status = rollup();
    assertThat(condition(status, "ServicesReady").getReason()).isEqualTo("MissingConfiguration");
    assertThat(condition(status, "ServicesReady").getMessage())
        .startsWith(
            "Secret shop-db (referenced by spec.persistence.jdbc.credentialsSecret) does not exist"
                + " in namespace ns; create it");
  }

  @Test
  void missingJwksSecretIsTheGatewaysProblemNotTheServices() {
    missing.add(new Ref(Ref.SECRET, "shop-jwks", "spec.gateway.auth.jwksSecretRef"));
    var status = rollup();
    assertThat(condition(status, "ServicesReady").getStatus()).isEqualTo("True");
    assertThat(condition(status, "GatewayReady").getStatus()).isEqualTo("False");
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("MissingConfiguration");
    assertThat(condition(status, "GatewayReady").getMessage())
        .isEqualTo(
            "Secret shop-jwks (referenced by spec.gateway.auth.jwksSecretRef) does not exist in"
                + " namespace ns; create it");
    assertThat(status.gateway.ready).isFalse();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("MissingConfiguration");
  }

  @Test
  void failuresToApplyWinTheReadyCondition() {
    failures.add("Deployment: forbidden");
    var status = rollup();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ReconcileFailed");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("could not apply: Deployment: forbidden");
  }

  @Test
  void lastTransitionTimeMovesOnlyOnTransitions() {
    var first = rollup(T0);
    shop.setStatus(first);
    assertThat(rollup(T1)).isEqualTo(first);
    deployments.clear();
    var notReady = rollup(T1);
    assertThat(condition(notReady, "Ready").getLastTransitionTime()).isEqualTo(T1);
    assertThat(condition(notReady, "TopicsReady").getLastTransitionTime()).isEqualTo(T0);
  }

  @Test
  void noGatewayNoTopicsAreFine() {
    shop.getSpec().gateway = null;
    shop.getSpec().kafka = null;
    deployments.remove("gateway");
    topics = Optional.of(Map.of());
    route = Optional.empty();
    var status = rollup();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "TopicsReady").getReason()).isEqualTo("NoTopics");
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("NoGateway");
    assertThat(status.gateway).isNull();
  }

  @Test
  void pausedKeepsTheRestOfTheStatus() {
    var first = rollup();
    shop.setStatus(first);
    shop.getMetadata().setAnnotations(Map.of("rampart.dev/pause-reconciliation", "true"));
    var paused = StatusRollup.paused(shop, T1);
    assertThat(condition(paused, "Paused").getStatus()).isEqualTo("True");
    assertThat(condition(paused, "Paused").getReason()).isEqualTo("PausedByAnnotation");
    assertThat(condition(paused, "Ready")).isEqualTo(condition(first, "Ready"));
  }

  private MicroserviceSystemStatus rollup() {
    return rollup(T0);
  }

  private MicroserviceSystemStatus rollup(String now) {
    return StatusRollup.of(
        shop, new ObservedSystem(deployments, pods, topics, route, views, missing, failures), now);
  }

  private Map<String, Deployment> readyDeployments() {
    Map<String, Deployment> result = new LinkedHashMap<>();
    shop.getSpec()
        .services()
        .forEach(s -> result.put(s.name, ready(ServiceDeployment.of(shop, s, "h"))));
    shop.getSpec()
        .gatewaySpec()
        .ifPresent(g -> result.put("gateway", ready(GatewayDeployment.of(shop, g, "h"))));
    return result;
  }

  /** What the deployment controller writes once the current ReplicaSet is fully available. */
  private static Deployment ready(Deployment d) {
    d.getMetadata().setGeneration(1L);
    int n = d.getSpec().getReplicas();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(1L)
            .withReplicas(n)
            .withReadyReplicas(n)
            .withUpdatedReplicas(n)
            .withAvailableReplicas(n)
            .addNewCondition()
            .withType("Progressing")
            .withStatus("True")
            .withReason("NewReplicaSetAvailable")
            .endCondition()
            .build());
    return d;
  }

  /** Every pod of each service sees the same leader and all pods Up. */
  private Map<String, List<PodClusterView>> oneClusterPerService() {
    Map<String, List<PodClusterView>> result = new LinkedHashMap<>();
    shop.getSpec()
        .services()
        .forEach(
            s -> {
              int n = s.replicasOrDefault();
              var members = IntStream.range(0, n).mapToObj(i -> s.name + "-" + i).toList();
              result.put(
                  s.name,
                  new ArrayList<>(
                      members.stream()
                          .map(m -> view("shop-" + m, s.name, members.get(0), members))
                          .toList()));
            });
    return result;
  }

  private static PodClusterView view(
      String pod, String service, String leader, List<String> upMembers) {
    return new PodClusterView(pod, service, leader, leader, upMembers, 0);
  }

  private Map<String, KafkaTopic> readyTopics() {
    Map<String, KafkaTopic> result = new LinkedHashMap<>();
    shop.getSpec()
        .kafka
        .topicList()
        .forEach(
            t -> {
              var topic = KafkaTopics.of(shop, shop.getSpec().kafka, t);
              topic.getMetadata().setGeneration(1L);
              topic.setStatus(
                  new KafkaTopicStatusBuilder()
                      .withObservedGeneration(1L)
                      .withConditions(
                          new io.strimzi.api.kafka.model.common.ConditionBuilder()
                              .withType("Ready")
                              .withStatus("True")
                              .build())
                      .build());
              result.put(t.name, topic);
            });
    return result;
  }

  /** The HTTPRoute as a Gateway controller leaves it when it accepted the route. */
  private HTTPRoute acceptedRoute() {
    var route = GatewayRoutes.httpRoute(shop, shop.getSpec().gateway);
    route.getMetadata().setGeneration(1L);
    var parentRef = route.getSpec().getParentRefs().get(0);
    route.setStatus(
        new HTTPRouteStatusBuilder()
            .withParents(
                new RouteParentStatusBuilder()
                    .withControllerName("example.com/gateway-controller")
                    .withParentRef(parentRef)
                    .withConditions(
                        parentCondition("Accepted", "True", "Accepted"),
                        parentCondition("ResolvedRefs", "True", "ResolvedRefs"))
                    .build())
            .build());
    return route;
  }

  private static Condition parentCondition(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withObservedGeneration(1L)
        .withLastTransitionTime(T0)
        .build();
  }

  private static Pod waitingPod(String name, String reason, String message) {
    String container = "service";
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .addNewContainerStatus()
        .withName(container)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private static Condition condition(MicroserviceSystemStatus status, String type) {
    return status.condition(type).orElseThrow();
  }
}
