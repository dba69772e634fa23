package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.operator.Main;
import dev.rampart.operator.OperatorSettings;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.NetworkPolicySpec;
import dev.rampart.operator.api.v1alpha1.TopicSpec;
import dev.rampart.operator.desired.ApiServerEndpoints;
import dev.rampart.operator.desired.ClusterIpServices;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.desired.SystemWall;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator as a process of its own (dev.rampart.operator.Main), killed with SIGKILL at random
 * points 20 times while the system keeps changing; after a last start it must converge to exactly
 * the desired objects, with nothing orphaned (every managed object is desired and owned by the
 * system).
 */
@Tag("slow")
class OperatorKillTest {
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          Deployment.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class,
          Service.class,
          PodDisruptionBudget.class,
          KafkaTopic.class,
          HTTPRoute.class,
          NetworkPolicy.class);

  @Test
  void convergesAfterTwentyRandomKills() throws Exception {
    LocalControlPlane plane = OperatorControlPlane.shared();
    KubernetesClient client = plane.client();
    String ns = SampleSystem.apply(client, "kill");
    Random random = new Random(Long.getLong("rampart.kill.seed", System.nanoTime()));
    Path logs = Files.createDirectories(Path.of("target", "operator-kill"));
    for (int i = 0; i < 20; i++) {
      int before = workEvents(client, ns);
      Process operator = startOperator(plane, logs.resolve("run-" + i + ".log"));
      // killed at a random point once it is working, however long a loaded machine takes to start
      // it
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> workEvents(client, ns) > before);
      Thread.sleep(random.nextInt(3000));
      operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      change(client, ns, i);
    }
    // the killed operators did work between their starts and their deaths
    assertThat(workEvents(client, ns)).isGreaterThanOrEqualTo(20);
    Process last = startOperator(plane, logs.resolve("run-final.log"));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertConverged(client, ns));
    } finally {
      last.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Keeps the system changing between kills: replicas, a topic coming and going, the wall on and
   * off.
   */
  private static void change(KubernetesClient client, String ns, int i) {
    SampleSystem.edit(
        client,
        ns,
        s -> {
          var spec = s.getSpec();
          spec.services.get(0).replicas = 1 + i % 3;
          var topics = spec.kafka.topics;
          boolean hasPublic = topics.stream().anyMatch(t -> t.name.equals("order-events-public"));
          if (i % 4 == 1 && hasPublic) {
            topics.removeIf(t -> t.name.equals("order-events-public"));
            spec.services.get(0).produces = List.of("order-events");
          } else if (i % 4 == 3 && !hasPublic) {
            topics.add(new TopicSpec("order-events-public"));
            spec.services.get(0).produces = List.of("order-events", "order-events-public");
          }
          if (i % 5 == 2) {
            spec.networkPolicy = new NetworkPolicySpec();
            spec.networkPolicy.enabled = !s.getSpec().networkPoliciesEnabled();
          }
        });
  }

  private static void assertConverged(KubernetesClient client, String ns) {
    MicroserviceSystem system =
        client.resources(MicroserviceSystem.class).inNamespace(ns).withName("shop").get();
    Map<Class<? extends HasMetadata>, List<String>> expected = expectedNames(system);
    for (var kind : KINDS) {
      List<? extends HasMetadata> actual =
          client
              .resources(kind)
              .inNamespace(ns)
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .list()
              .getItems();
      TreeSet<String> names =
          actual.stream()
              .map(r -> r.getMetadata().getName())
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(names)
          .as("%s objects", kind.getSimpleName())
          .isEqualTo(new TreeSet<>(expected.get(kind)));
      for (HasMetadata r : actual) {
        assertThat(r.getMetadata().getOwnerReferences())
            .singleElement()
            .satisfies(o -> assertThat(o.getUid()).isEqualTo(system.getMetadata().getUid()));
      }
    }
    var order = client.apps().deployments().inNamespace(ns).withName("shop-order").get();
    assertThat(order.getSpec().getReplicas())
        .isEqualTo(system.getSpec().services.get(0).replicasOrDefault());
    if (system.getSpec().networkPoliciesEnabled()) {
      var apiServer =
          ApiServerEndpoints.of(
              client
                  .discovery()
                  .v1()
                  .endpointSlices()
                  .inNamespace("default")
                  .list()
                  .getItems()
                  .stream()
                  .filter(slice -> slice.getMetadata().getName().equals(ApiServerEndpoints.NAME))
                  .toList());
      SystemWall.of(system, apiServer)
          .forEach(
              desired ->
                  assertThat(
                          client
                              .network()
                              .networkPolicies()
                              .inNamespace(ns)
                              .withName(desired.getMetadata().getName())
                              .get()
                              .getSpec())
                      .isEqualTo(desired.getSpec()));
    }
    var status = system.getStatus();
    assertThat(status).isNotNull();
    assertThat(status.observedGeneration).isEqualTo(system.getMetadata().getGeneration());
  }

  private static Map<Class<? extends HasMetadata>, List<String>> expectedNames(
      MicroserviceSystem system) {
    List<String> perComponent =
        SystemComponents.of(system).all().stream()
            .map(c -> Labels.resourceName(system.name(), c.name()))
            .toList();
    Map<Class<? extends HasMetadata>, List<String>> expected = new java.util.LinkedHashMap<>();
    for (var kind :
        List.of(
            Deployment.class,
            ServiceAccount.class,
            Role.class,
            RoleBinding.class,
            PodDisruptionBudget.class)) {
      expected.put(kind, perComponent);
    }
    List<String> services = new ArrayList<>();
    system
        .getSpec()
        .services()
        .forEach(s -> services.add(ClusterIpServices.grpc(system, s.name).getMetadata().getName()));
    system.getSpec().gatewaySpec().ifPresent(g -> services.add(GatewayRoutes.name(system)));
    expected.put(Service.class, services);
    expected.put(
        KafkaTopic.class,
        system.getSpec().kafka.topicList().stream()
            .map(t -> KafkaTopics.resourceName(system, t.name))
            .toList());
    expected.put(HTTPRoute.class, List.of(GatewayRoutes.name(system)));
    expected.put(
        NetworkPolicy.class,
        system.getSpec().networkPoliciesEnabled()
            ? SystemWall.of(system).stream().map(p -> p.getMetadata().getName()).toList()
            : List.of());
    return expected;
  }

  /** The operator's own main class in a JVM of its own, against the test API server. */
  /** The operator's "Created" and "Updated" events: work it has done. */
  private static int workEvents(KubernetesClient client, String ns) {
    return (int)
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> List.of("Created", "Updated").contains(e.getReason()))
            .count();
  }

  private static Process startOperator(LocalControlPlane plane, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName());
    builder.environment().put("KUBECONFIG", plane.kubeconfig().toString());
    builder.environment().put(OperatorSettings.LEADER_ELECTION, "false");
    builder.environment().put(OperatorSettings.HTTP_PORT, "0");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }
}
