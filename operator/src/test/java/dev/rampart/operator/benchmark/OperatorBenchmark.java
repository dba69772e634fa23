package dev.rampart.operator.benchmark;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ClusterIpServices;
import dev.rampart.operator.desired.DiscoveryRbac;
import dev.rampart.operator.desired.DisruptionBudgets;
import dev.rampart.operator.desired.GatewayDeployment;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.desired.ServiceDeployment;
import dev.rampart.operator.desired.SystemComponents;
import dev.rampart.operator.desired.SystemWall;
import dev.rampart.operator.testing.Namespaces;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.Samples;
import dev.rampart.testing.RepoPaths;
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
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The operator's figures on this machine, against a real kube-apiserver + etcd (not a timed test:
 * run it, read it).
 *
 * <ul>
 *   <li>P1: applying N systems (N = 1, 50) until every child exists, versus {@code kubectl apply
 *       --server-side} of the same rendered objects on the same API server in the same run; both
 *       and the ratio.
 *   <li>P2: writes to children per resync of unchanged systems (target 0).
 *   <li>P3: 200 systems of the sample (3 services + gateway): converge time, and heap after GC of
 *       the JVM that runs the operator (in-process: it includes this benchmark's client, which
 *       caches nothing).
 * </ul>
 *
 * Prints the figures and writes them to operator/target/benchmarks/*.json.
 */
public final class OperatorBenchmark {
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
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(RepoPaths.root().resolve("operator/target/benchmarks"));
    LocalControlPlane plane = OperatorControlPlane.start(true, true);
    widenServiceIpRange(plane);
    // the controllers were only needed to make the new range Ready: without them no Pods pile up
    // and take CPU
    plane.controllerProcesses().forEach(dev.rampart.testing.ManagedProcess::close);
    try (var operator = RunningOperator.start(plane)) {
      KubernetesClient client = plane.client();
      List<Map<String, Object>> p1 = new ArrayList<>();
      for (int n : new int[] {1, 50}) {
        p1.add(p1(plane, client, n));
      }
      write(out.resolve("p1-apply.json"), Map.of("runs", p1));
      String ns50 = (String) p1.get(1).get("operatorNamespace");
      write(out.resolve("p2-resync-writes.json"), p2(client, operator, ns50, 50));
      write(out.resolve("p3-scale.json"), p3(client, 200));
    } finally {
      plane.close();
    }
  }

  /**
   * kube-api-test starts the API server with --service-cluster-ip-range 10.0.0.0/24 (254 Services,
   * and its own flags win over ours); the benchmark needs ~1300. Kubernetes 1.33+ adds ranges at
   * run time with a ServiceCIDR (made Ready by kube-controller-manager).
   */
  static void widenServiceIpRange(LocalControlPlane plane) throws Exception {
    Path file = Files.createTempFile("service-cidr", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: networking.k8s.io/v1
        kind: ServiceCIDR
        metadata: {name: rampart-benchmark}
        spec: {cidrs: ["10.128.0.0/16"]}
        """);
    plane.kubectl("apply", "--server-side", "-f", file.toString());
    plane.kubectl(
        "wait", "--for=condition=Ready", "servicecidr/rampart-benchmark", "--timeout=60s");
  }

  static Map<String, Object> p1(LocalControlPlane plane, KubernetesClient client, int n)
      throws Exception {
    // kubectl: the same objects the operator would write, rendered by the same pure functions
    String kubectlNs = Namespaces.create(client, "bench-kubectl-" + n);
    List<HasMetadata> rendered = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rendered.addAll(render(system(kubectlNs, i)));
    }
    Path file = Files.createTempFile("rendered-" + n, ".yaml");
    Files.writeString(file, rendered.stream().map(JSON::asYaml).collect(Collectors.joining("\n")));
    long k0 = System.nanoTime();
    plane.kubectl("apply", "--server-side", "--field-manager=bench", "-f", file.toString());
    long kubectlMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - k0);
    int kubectlObjects = count(client, kubectlNs);

    String operatorNs = Namespaces.create(client, "bench-operator-" + n);
    long o0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      client.resource(system(operatorNs, i)).create();
    }
    int expected = rendered.size();
    while (count(client, operatorNs) < expected) {
      Thread.sleep(100);
    }
    long operatorMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - o0);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("systems", n);
    result.put("objects", expected);
    result.put("kubectlObjects", kubectlObjects);
    result.put("operatorMillis", operatorMs);
    result.put("kubectlServerSideApplyMillis", kubectlMs);
    result.put("ratio", Math.round(100.0 * operatorMs / Math.max(1, kubectlMs)) / 100.0);
    result.put("operatorNamespace", operatorNs);
    System.out.printf(
        "P1 N=%d: %d objects; operator %d ms, kubectl apply --server-side %d ms, ratio %.2f%n",
        n, expected, operatorMs, kubectlMs, (double) operatorMs / Math.max(1, kubectlMs));
    return result;
  }

  static Map<String, Object> p2(KubernetesClient client, RunningOperator operator, String ns, int n)
      throws Exception {
    Thread.sleep(5000); // let status writes and first events settle
    Map<String, String> before = versions(client, ns);
    int resyncs = 5;
    for (int r = 0; r < resyncs; r++) {
      long done = successes(operator, ns);
      for (int i = 0; i < n; i++) {
        int round = r;
        client
            .resources(MicroserviceSystem.class)
            .inNamespace(ns)
            .withName("shop-" + i)
            .edit(
                s -> {
                  s.getMetadata().getAnnotations().put("bench/resync", "" + round);
                  return s;
                });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (successes(operator, ns) < done + n && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    Map<String, String> after = versions(client, ns);
    long writes = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("systems", n);
    result.put("resyncsPerSystem", resyncs);
    result.put("children", before.size());
    result.put("childWrites", writes);
    result.put("writesPerResync", (double) writes / (resyncs * n));
    System.out.printf(
        "P2: %d systems x %d resyncs: %d writes to %d children (%.3f per resync; target 0)%n",
        n, resyncs, writes, before.size(), (double) writes / (resyncs * n));
    return result;
  }

  static Map<String, Object> p3(KubernetesClient client, int n) throws Exception {
    String ns = Namespaces.create(client, "bench-scale");
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      client.resource(system(ns, i)).create();
    }
    int expected = render(system(ns, 0)).size() * n;
    while (count(client, ns) < expected) {
      Thread.sleep(250);
    }
    long childrenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    while (client.resources(MicroserviceSystem.class).inNamespace(ns).list().getItems().stream()
        .anyMatch(s -> s.getStatus() == null || s.getStatus().observedGeneration == null)) {
      Thread.sleep(250);
    }
    long statusMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(500);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("systems", n);
    result.put("servicesPerSystem", 3);
    result.put("objects", expected);
    result.put("allChildrenMillis", childrenMs);
    result.put("allStatusMillis", statusMs);
    result.put("heapAfterGcBytes", heap);
    result.put("heapAfterGcMiB", heap / (1024 * 1024));
    System.out.printf(
        "P3: %d systems x 3 services (+gateway): %d objects in %d ms, every status in %d ms; "
            + "heap after GC %d MiB%n",
        n, expected, childrenMs, statusMs, heap / (1024 * 1024));
    return result;
  }

  static MicroserviceSystem system(String ns, int i) {
    var system = Samples.shop(ns);
    system.getMetadata().setName("shop-" + i);
    return system;
  }

  /** What the operator writes for one system (with the Gateway API installed). */
  static List<HasMetadata> render(MicroserviceSystem system) {
    List<HasMetadata> objects = new ArrayList<>();
    var spec = system.getSpec();
    for (var c : SystemComponents.of(system).all()) {
      objects.add(DiscoveryRbac.serviceAccount(system, c.name(), c.kind()));
      objects.add(DiscoveryRbac.podReader(system, c.name(), c.kind()));
      objects.add(DiscoveryRbac.podReaderBinding(system, c.name(), c.kind()));
      objects.add(DisruptionBudgets.oneAtATime(system, c.name(), c.kind()));
    }
    spec.services()
        .forEach(
            s -> {
              objects.add(ServiceDeployment.of(system, s, "h"));
              objects.add(ClusterIpServices.grpc(system, s.name));
            });
    objects.add(GatewayDeployment.of(system, spec.gateway, "h"));
    objects.add(ClusterIpServices.gateway(system, spec.gateway));
    objects.add(GatewayRoutes.httpRoute(system, spec.gateway));
    spec.kafka.topicList().forEach(t -> objects.add(KafkaTopics.of(system, spec.kafka, t)));
    objects.addAll(SystemWall.of(system));
    return objects;
  }

  static int count(KubernetesClient client, String ns) {
    int total = 0;
    for (var kind : KINDS) {
      total +=
          client
              .resources(kind)
              .inNamespace(ns)
              .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .list()
              .getItems()
              .size();
    }
    return total;
  }

  static Map<String, String> versions(KubernetesClient client, String ns) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (var kind : KINDS) {
      client
          .resources(kind)
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(
              r ->
                  versions.put(
                      kind.getSimpleName() + "/" + r.getMetadata().getName(),
                      r.getMetadata().getResourceVersion()));
    }
    return versions;
  }

  static long successes(RunningOperator operator, String ns) {
    return (long)
        operator.registry().getMeters().stream()
            .filter(
                m ->
                    m.getId().getName().equals("operator.sdk.reconciliations.success")
                        && ns.equals(m.getId().getTag("namespace")))
            .mapToDouble(m -> m.measure().iterator().next().getValue())
            .sum();
  }

  static void write(Path file, Map<String, Object> figures) throws Exception {
    Files.writeString(file, JSON.asJson(figures));
    System.out.println("wrote " + file);
  }
}
