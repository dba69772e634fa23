package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The user's journey on a Kubernetes cluster with the operator installed and the shop applied: the
 * system says Ready with every service's Akka cluster formed through the Kubernetes API, traffic
 * flows through the gateway, a scaled service's new member joins, deleted pods are replaced with no
 * order lost, and deleting the system removes every child. One scenario for every cluster kind
 * ({@link ShopCluster}); the steps are numbered in tens so that a kind can add its own between
 * them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KubernetesJourneyScenario {
  private static ShopJourney.Result firstJourney;
  private static final ResourceDefinitionContext HTTP_ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup("gateway.networking.k8s.io")
          .withVersion("v1")
          .withKind("HTTPRoute")
          .withPlural("httproutes")
          .withNamespaced(true)
          .build();
  private static final String SCALED = "user";

  /** The cluster under test (started once per concrete class). */
  protected abstract ShopCluster cluster();

  @RegisterExtension
  final TestWatcher diagnostics =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          progress(
              "FAILED " + context.getDisplayName() + "; diagnostics:\n" + cluster().diagnostics());
        }
      };

  @Test
  @Order(10)
  void theSystemBecomesReadyWithEveryServiceAClusterFormedThroughTheKubernetesApi() {
    cluster().awaitReady(900);
    progress(
        "kubectl get msys -n shop\n"
            + cluster().kubectl("get", "msys", "-n", ShopCluster.NAMESPACE));
    Map<String, Integer> desired = desiredReplicas();
    List<Map<String, Object>> services = cluster().system().get("status", "services");
    assertThat(services)
        .hasSize(desired.size())
        .allSatisfy(
            s -> {
              int replicas = desired.get((String) s.get("name"));
              assertThat(s.get("readyReplicas")).isEqualTo(replicas);
              assertThat(((Map<?, ?>) s.get("clusterMembers")).get("up")).isEqualTo(replicas);
            });
    assertThat(cluster().kubectl("get", "kafkatopics", "-n", ShopCluster.NAMESPACE))
        .contains("order-events", "order-events-public");
  }

  @Test
  @Order(20)
  void trafficFlowsThroughTheGateway() throws Exception {
    ShopJourney journey =
        new ShopJourney(
            cluster().gatewayClient(), cluster().jwt(), KubernetesJourneyScenario::progress);
    firstJourney = journey.run("alice", 3, Duration.ofSeconds(120));
    assertThat(firstJourney.historyOrderIds()).containsAll(firstJourney.orderIds());
  }

  /**
   * The carrier, outside the wall, in both directions: Shipping books each parcel through the
   * gateway's egress (its pods know the carrier only as {@code RAMPART_EGRESS_CARRIER_URL}, the
   * gateway's internal port; the carrier simulator runs outside the system: a JVM on this machine
   * locally, its own namespace on kind), and the simulator's webhooks come back through the
   * gateway's public port with a partner token, until every order of the journey is DELIVERED.
   * Prints a new order's timeline and the parcel's as the carrier lived it.
   */
  @Test
  @Order(21)
  void everyOrderIsDeliveredByTheCarrierOutsideThroughTheGatewayBothWays() throws Exception {
    ShopCluster cluster = cluster();
    var shipping =
        cluster
            .client()
            .apps()
            .deployments()
            .inNamespace(ShopCluster.NAMESPACE)
            .withName("shop-shipping")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(shipping)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo(Env.EGRESS_CARRIER_URL);
              assertThat(e.getValue()).isEqualTo("http://shop-gateway:8081/egress/carrier");
            })
        .noneMatch(e -> e.getName().equals(Env.CARRIER_URL));

    var journey =
        new ShopJourney(
            cluster.gatewayClient(), cluster.jwt(), KubernetesJourneyScenario::progress);
    String orderId = journey.run("carol", 1, Duration.ofSeconds(120)).orderIds().get(0);
    String token = cluster.jwt().tokenFor("carol");
    List<String> orderTimeline = new ArrayList<>();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              String status = orderStatus(orderId, token);
              if (!status.isEmpty()
                  && (orderTimeline.isEmpty()
                      || !orderTimeline.get(orderTimeline.size() - 1).endsWith(" " + status))) {
                orderTimeline.add(Instant.now() + " " + status);
              }
              assertThat(status).as("order " + orderId).isEqualTo("DELIVERED");
            });
    progress("order " + orderId + " timeline (as polled through the gateway): " + orderTimeline);
    progress("parcel of " + orderId + " at the carrier: " + cluster.carrierBooking(orderId));
    progress(
        "order "
            + orderId
            + " as the gateway shows it: "
            + cluster.gatewayClient().send("GET", "/api/orders/" + orderId, token, null).body());

    // the first journey's orders too: every parcel the carrier was given is delivered
    assertThat(firstJourney).as("the journey of step 20").isNotNull();
    String alice = cluster.jwt().tokenFor("alice");
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(firstJourney.orderIds())
                    .allSatisfy(
                        id ->
                            assertThat(orderStatus(id, alice))
                                .as("order " + id)
                                .isEqualTo("DELIVERED")));
    firstJourney.orderIds().forEach(id -> assertThat(cluster.carrierBooking(id)).contains(id));
    progress("every order of the first journey DELIVERED: " + firstJourney.orderIds());
  }

  private String orderStatus(String orderId, String token) {
    return cluster()
        .gatewayClient()
        .send("GET", "/api/orders/" + orderId, token, null)
        .body()
        .path("status")
        .asText();
  }

  @Test
  @Order(30)
  void aScaledServiceGetsANewClusterMember() {
    List<String> names = serviceNames();
    int index = names.indexOf(SCALED);
    int target = desiredReplicas().get(SCALED) + 1;
    cluster()
        .kubectl(
            "patch",
            "msys",
            ShopCluster.SYSTEM,
            "-n",
            ShopCluster.NAMESPACE,
            "--type=json",
            "-p",
            "[{\"op\":\"replace\",\"path\":\"/spec/services/"
                + index
                + "/replicas\",\"value\":"
                + target
                + "}]");
    progress("scaled " + SCALED + " to " + target + " replicas");
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> services = cluster().system().get("status", "services");
              Map<String, Object> scaled =
                  services.stream()
                      .filter(s -> SCALED.equals(s.get("name")))
                      .findFirst()
                      .orElseThrow();
              assertThat(scaled.get("readyReplicas")).isEqualTo(target);
              assertThat(((Map<?, ?>) scaled.get("clusterMembers")).get("up")).isEqualTo(target);
            });
    progress(SCALED + ": " + target + " ready replicas, " + target + " Akka members Up");
  }

  @Test
  @Order(40)
  void deletedPodsAreReplacedAndNoOrderIsLost() throws Exception {
    Map<String, Integer> desired = desiredReplicas();
    desired.put(Labels.GATEWAY_SERVICE_NAME, gatewayReplicas());
    for (String service : desired.keySet()) {
      Pod victim = cluster().readyPods(service).get(0);
      cluster()
          .client()
          .pods()
          .inNamespace(ShopCluster.NAMESPACE)
          .withName(victim.getMetadata().getName())
          .delete();
      progress("deleted pod " + victim.getMetadata().getName());
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                desired.forEach(
                    (service, replicas) ->
                        assertThat(cluster().readyPods(service)).as(service).hasSize(replicas)));
    cluster().awaitReady(600);
    GatewayClient gateway = cluster().gatewayClient();
    String aliceToken = cluster().jwt().tokenFor("alice");
    // Right after the deletions shards are still moving to their new nodes: a read may time out
    // (504) or find
    // no upstream (503) for a moment. A lost order would be a 404 — never acceptable.
    for (String orderId : firstJourney.orderIds()) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                GatewayClient.Reply order =
                    cluster()
                        .gatewayClient()
                        .send("GET", "/api/orders/" + orderId, aliceToken, null);
                if (order.status() == 404) {
                  throw new org.awaitility.core.TerminalFailureException(
                      orderId + " is lost: " + order.body());
                }
                assertThat(order.status()).as(orderId + ": " + order.body()).isEqualTo(200);
                assertThat(order.body().path("customerId").asText()).isEqualTo("alice");
              });
    }
    progress("all of alice's orders survived the pod deletions");
    ShopJourney.Result second =
        new ShopJourney(gateway, cluster().jwt(), KubernetesJourneyScenario::progress)
            .run("bob", 2, Duration.ofSeconds(120));
    assertThat(second.historyOrderIds()).containsAll(second.orderIds());
  }

  @Test
  @Order(100)
  void deletingTheSystemRemovesEveryChild() {
    Map<String, Object> networkPolicy = cluster().system().get("spec", "networkPolicy");
    boolean walled = networkPolicy != null && Boolean.TRUE.equals(networkPolicy.get("enabled"));
    // first, that each kind is there to be removed (and found by the system's label)
    Map<String, List<String>> before = children(walled);
    progress("the system's children: " + before);
    assertThat(before).allSatisfy((kind, names) -> assertThat(names).as(kind).isNotEmpty());
    cluster()
        .kubectl(
            "delete",
            "msys",
            ShopCluster.SYSTEM,
            "-n",
            ShopCluster.NAMESPACE,
            "--wait=true",
            "--timeout=180s");
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(children(walled))
                    .allSatisfy((kind, names) -> assertThat(names).as(kind).isEmpty()));
    progress("the system and every child are gone");
  }

  /**
   * The names of the objects of each kind the operator creates for the system (and its pods), found
   * by the system's label: other objects in the namespace (e.g. Strimzi's own Role on kind) are not
   * the system's. The gateway's route is an HTTPRoute where the Gateway API is installed, an
   * Ingress elsewhere; the NetworkPolicies exist only when the spec enables them.
   */
  private Map<String, List<String>> children(boolean walled) {
    var client = cluster().client();
    String ns = ShopCluster.NAMESPACE;
    String label = Labels.SYSTEM;
    String system = ShopCluster.SYSTEM;
    Map<String, List<String>> children = new LinkedHashMap<>();
    children.put(
        "Deployment",
        names(client.apps().deployments().inNamespace(ns).withLabel(label, system).list()));
    children.put(
        "Service", names(client.services().inNamespace(ns).withLabel(label, system).list()));
    children.put(
        "ServiceAccount",
        names(client.serviceAccounts().inNamespace(ns).withLabel(label, system).list()));
    children.put(
        "Role", names(client.rbac().roles().inNamespace(ns).withLabel(label, system).list()));
    children.put(
        "RoleBinding",
        names(client.rbac().roleBindings().inNamespace(ns).withLabel(label, system).list()));
    children.put(
        "PodDisruptionBudget",
        names(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withLabel(label, system)
                .list()));
    if (walled) {
      children.put(
          "NetworkPolicy",
          names(
              client
                  .network()
                  .v1()
                  .networkPolicies()
                  .inNamespace(ns)
                  .withLabel(label, system)
                  .list()));
    }
    children.put(
        "KafkaTopic",
        names(
            client
                .genericKubernetesResources(ShopCluster.KAFKA_TOPICS)
                .inNamespace(ns)
                .withLabel(label, system)
                .list()));
    boolean gatewayApi =
        client.getApiGroups().getGroups().stream()
            .anyMatch(g -> g.getName().equals(HTTP_ROUTES.getGroup()));
    if (gatewayApi) {
      children.put(
          "HTTPRoute",
          names(
              client
                  .genericKubernetesResources(HTTP_ROUTES)
                  .inNamespace(ns)
                  .withLabel(label, system)
                  .list()));
    } else {
      children.put(
          "Ingress",
          names(client.network().v1().ingresses().inNamespace(ns).withLabel(label, system).list()));
    }
    children.put("Pod", names(client.pods().inNamespace(ns).withLabel(label, system).list()));
    return children;
  }

  private static List<String> names(KubernetesResourceList<? extends HasMetadata> list) {
    return list.getItems().stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }

  int gatewayReplicas() {
    Map<String, Object> gateway = cluster().system().get("spec", "gateway");
    // the CRD defaults replicas to 2; the stored object carries the default
    return ((Number) gateway.getOrDefault("replicas", 2)).intValue();
  }

  private List<Map<String, Object>> specServices() {
    return cluster().system().get("spec", "services");
  }

  List<String> serviceNames() {
    return specServices().stream().map(s -> (String) s.get("name")).toList();
  }

  Map<String, Integer> desiredReplicas() {
    Map<String, Integer> desired = new LinkedHashMap<>();
    specServices()
        .forEach(s -> desired.put((String) s.get("name"), ((Number) s.get("replicas")).intValue()));
    return desired;
  }

  static void progress(String message) {
    System.out.println("==> " + message);
  }
}
