package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.desired.PodDeletionCosts;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.PlayedControllers;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's deletion costs on the real API server with kube-controller-manager: the ReplicaSet
 * controller creates the pods, the test plays their kubelet (Running and Ready on loopback IPs, no
 * node) and their Akka Management (one cluster whose oldest member is the pod that started last and
 * restarted most, i.e. the one the ReplicaSet controller would delete first without costs). Scaling
 * the service down to 1 must leave the Akka oldest.
 */
class PodDeletionCostTest {
  private static LocalControlPlane plane;
  private static RunningOperator operator;
  private static KubernetesClient client;
  private final PlayedControllers played = new PlayedControllers(client);

  @BeforeAll
  static void start() {
    plane = OperatorControlPlane.start(true, true);
    operator = RunningOperator.start(plane);
    client = plane.client();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @AfterEach
  void stopServers() {
    played.close();
  }

  @Test
  void scaleDownKeepsTheAkkaOldestAndThePatchingConverges() throws IOException {
    String ns = SampleSystem.apply(client, "cost");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.edit(client, ns, s -> s.getSpec().service("order").orElseThrow().replicas = 3);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(orderPods(ns)).hasSize(3));

    var pods = orderPods(ns);
    String oldest = pods.get(2).getMetadata().getName();
    playAkkaCluster(ns, pods, 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(costs(ns))
                    .isEqualTo(
                        Map.of(
                            oldest,
                            "3",
                            pods.get(0).getMetadata().getName(),
                            "2",
                            pods.get(1).getMetadata().getName(),
                            "1")));
    double patches = patches();
    assertThat(patches).isEqualTo(3);

    // more reconciles (a metadata change each): none patches a pod again, and they stop
    for (int i = 0; i < 3; i++) {
      long before = reconcileCount(ns);
      String touch = String.valueOf(i);
      SampleSystem.edit(client, ns, s -> s.getMetadata().getAnnotations().put("test/touch", touch));
      await().atMost(Duration.ofSeconds(10)).until(() -> reconcileCount(ns) > before);
    }
    assertThat(patches()).isEqualTo(patches);
    long settled = reconcileCount(ns);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> reconcileCount(ns) <= settled + 1);

    SampleSystem.edit(client, ns, s -> s.getSpec().service("order").orElseThrow().replicas = 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(orderPods(ns))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly(oldest));
  }

  private static List<Pod> orderPods(String ns) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("rampart.dev/service", "order")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  private static Map<String, String> costs(String ns) {
    return orderPods(ns).stream()
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getName(),
                p ->
                    p.getMetadata().getAnnotations() == null
                        ? "none"
                        : p.getMetadata()
                            .getAnnotations()
                            .getOrDefault(PodDeletionCosts.ANNOTATION, "none")));
  }

  /** Reconciles of the system in the namespace that finished, from JOSDK's Micrometer metrics. */
  private static long reconcileCount(String ns) {
    return (long)
        operator.registry().getMeters().stream()
            .filter(
                m ->
                    m.getId().getName().equals("operator.sdk.reconciliations.success")
                        && ns.equals(m.getId().getTag("namespace")))
            .mapToDouble(m -> m.measure().iterator().next().getValue())
            .sum();
  }

  private static double patches() {
    return operator.registry().find(PodDeletionCostPatches.PATCHES_METRIC).counter().count();
  }

  /**
   * Each pod Running and Ready on a loopback IP of its own, started a minute after the one before,
   * answering /cluster/members with all of them Up and pod {@code oldest} the oldest member, which
   * also restarted most: the ReplicaSet controller's own tie-breakers would delete it first.
   */
  private void playAkkaCluster(String ns, List<Pod> pods, int oldest) throws IOException {
    String prefix =
        "127." + (200 + new Random().nextInt(50)) + "." + new Random().nextInt(250) + ".";
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      nodes.add("akka://order@" + prefix + (i + 1) + ":25520");
    }
    String members =
        "{\"leader\":\""
            + nodes.get(0)
            + "\",\"oldest\":\""
            + nodes.get(oldest)
            + "\",\"unreachable\":[],\"members\":["
            + nodes.stream()
                .map(n -> "{\"node\":\"" + n + "\",\"status\":\"Up\",\"roles\":[\"dc-default\"]}")
                .collect(Collectors.joining(","))
            + "]}";
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < pods.size(); i++) {
      String ip = prefix + (i + 1);
      played.serveMembers(ip, members);
      var pod = pods.get(i);
      client
          .pods()
          .inNamespace(ns)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(pod.getMetadata().getName())
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewStatus()
                  .withPhase("Running")
                  .withPodIP(ip)
                  .withStartTime(now.minus(pods.size() - i, ChronoUnit.MINUTES).toString())
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .withLastTransitionTime(now.toString())
                  .endCondition()
                  .addNewContainerStatus()
                  .withName(pod.getSpec().getContainers().get(0).getName())
                  .withImage(pod.getSpec().getContainers().get(0).getImage())
                  .withImageID("")
                  .withReady(true)
                  .withRestartCount(i == oldest ? 5 : 0)
                  .withNewState()
                  .withNewRunning()
                  .withStartedAt(now.toString())
                  .endRunning()
                  .endState()
                  .endContainerStatus()
                  .endStatus()
                  .build())
          .patchStatus();
    }
  }
}
