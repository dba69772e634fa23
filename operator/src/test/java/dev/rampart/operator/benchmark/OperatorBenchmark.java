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
import dev.rampart.testing.Command;
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
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The operator's figures on this machine, against a real kube-apiserver + etcd (not a timed test:
 * run it, read it).
 *
 * <ul>
 *   <li>P1: applying N systems (N = 1, 50) until every child exists, versus {@code kubectl apply
 *       --server-side} of the same rendered objects on the same API server; both and the ratio.
 *   <li>P2: writes to children per resync of unchanged systems (target 0). Every resync is proven
 *       by the operator's own reconcile counter (JOSDK's Micrometer metrics, per system); a resync
 *       that does not happen in time fails the benchmark. Then zero reconciles caused by the
 *       operator's own status patches: one KafkaTopic per system turns Ready (one external event
 *       each, which changes that system's status once), and the reconciles over the window must be
 *       exactly one per event; a reconcile more per system means a status patch reconciled again.
 *   <li>P3: 200 systems of the sample (3 services + gateway): converge time against kubectl as in
 *       P1, and heap after GC of the JVM that runs the operator (in-process: it includes this
 *       benchmark's client, which caches nothing).
 * </ul>
 *
 * P1 and P3: one untimed warm-up round first, then at least 3 rounds in alternating order (operator
 * first, then kubectl first, ...), each on fresh namespaces, the previous round's objects deleted;
 * the median of the rounds is the figure. Every wait has a deadline: a deadline passed fails the
 * run. Sizes, rounds and the deadline are system properties ({@code -Drampart.bench.p1=1,50
 * -Drampart.bench.p3=200 -Drampart.bench.rounds=3 -Drampart.bench.resyncs=5
 * -Drampart.bench.timeoutSeconds=900}).
 *
 * <p>Prints the figures and writes them to operator/target/benchmarks/*.json.
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
  static final String RECONCILED = "operator.sdk.reconciliations.success";

  /** What one run measures, from system properties. */
  record Settings(List<Integer> p1Sizes, int p3Systems, int rounds, int resyncs, Duration timeout) {
    static Settings fromSystemProperties() {
      var settings =
          new Settings(
              Arrays.stream(System.getProperty("rampart.bench.p1", "1,50").split(","))
                  .map(String::trim)
                  .map(Integer::parseInt)
                  .toList(),
              Integer.getInteger("rampart.bench.p3", 200),
              Integer.getInteger("rampart.bench.rounds", 3),
              Integer.getInteger("rampart.bench.resyncs", 5),
              Duration.ofSeconds(Integer.getInteger("rampart.bench.timeoutSeconds", 900)));
      if (settings.rounds() < 3) {
        throw new IllegalArgumentException("at least 3 rounds: a median of fewer means little");
      }
      return settings;
    }
  }

  /** One timed round: both sides on fresh namespaces, in the order given. */
  record Round(
      int round,
      String first,
      int objects,
      long operatorMillis,
      long operatorStatusMillis,
      long kubectlMillis,
      long heapAfterGcBytes,
      String operatorNamespace) {}

  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Path out = Files.createDirectories(RepoPaths.root().resolve("operator/target/benchmarks"));
    LocalControlPlane plane = OperatorControlPlane.start(true, true);
    widenServiceIpRange(plane);
    // the controllers were only needed to make the new range Ready: without them no Pods pile up
    // and take CPU
    plane.controllerProcesses().forEach(dev.rampart.testing.ManagedProcess::close);
    try (var operator = RunningOperator.start(plane)) {
      KubernetesClient client = plane.client();
      // warm-up (JIT, connections, informer caches on both sides), not reported
      Round warmUp = round(plane, client, "warmup", 1, 0, settings.timeout());
      cleanUp(client, settings.timeout(), warmUp.operatorNamespace());
      System.out.println("warm-up done");

      List<Map<String, Object>> p1 = new ArrayList<>();
      String p2Namespace = null;
      int p2Systems = 0;
      for (int n : settings.p1Sizes()) {
        List<Round> rounds = rounds(plane, client, "p1", n, settings, true);
        p1.add(summary("P1", n, rounds));
        if (p2Namespace != null) {
          cleanUp(client, settings.timeout(), p2Namespace);
        }
        p2Namespace = rounds.get(rounds.size() - 1).operatorNamespace();
        p2Systems = n;
      }
      write(out.resolve("p1-apply.json"), Map.of("runs", p1));
      Map<String, Object> p2 = p2(client, operator, p2Namespace, p2Systems, settings);
      p2.put("ownStatusPatches", p2StatusPatches(client, operator, p2Namespace, p2Systems));
      write(out.resolve("p2-resync-writes.json"), p2);
      cleanUp(client, settings.timeout(), p2Namespace);
      List<Round> p3 = rounds(plane, client, "p3", settings.p3Systems(), settings, false);
      Map<String, Object> p3Summary = summary("P3", settings.p3Systems(), p3);
      long heap = median(p3.stream().map(Round::heapAfterGcBytes).toList());
      p3Summary.put("servicesPerSystem", 3);
      p3Summary.put("medianHeapAfterGcMiB", heap / (1024 * 1024));
      System.out.printf("P3: median heap after GC %d MiB%n", heap / (1024 * 1024));
      write(out.resolve("p3-scale.json"), p3Summary);
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

  /**
   * The timed rounds for n systems; each round's objects are deleted before the next, except (when
   * keepLast) the operator's systems of the last round.
   */
  static List<Round> rounds(
      LocalControlPlane plane,
      KubernetesClient client,
      String prefix,
      int n,
      Settings settings,
      boolean keepLast)
      throws Exception {
    List<Round> rounds = new ArrayList<>();
    for (int r = 0; r < settings.rounds(); r++) {
      Round round = round(plane, client, prefix, n, r, settings.timeout());
      rounds.add(round);
      System.out.printf(
          "%s N=%d round %d (%s first): %d objects; operator %d ms (status %d ms), kubectl apply"
              + " --server-side %d ms%n",
          prefix.toUpperCase(java.util.Locale.ROOT),
          n,
          r + 1,
          round.first(),
          round.objects(),
          round.operatorMillis(),
          round.operatorStatusMillis(),
          round.kubectlMillis());
      if (!keepLast || r < settings.rounds() - 1) {
        cleanUp(client, settings.timeout(), round.operatorNamespace());
      }
    }
    return rounds;
  }

  /** Operator and kubectl on n systems each; operator first in even rounds, kubectl in odd. */
  static Round round(
      LocalControlPlane plane,
      KubernetesClient client,
      String prefix,
      int n,
      int round,
      Duration timeout)
      throws Exception {
    String operatorNs = Namespaces.create(client, prefix + "-operator-" + n);
    String kubectlNs = Namespaces.create(client, prefix + "-kubectl-" + n);
    boolean operatorFirst = round % 2 == 0;
    long[] operator = null;
    long kubectl = 0;
    for (int side = 0; side < 2; side++) {
      if ((side == 0) == operatorFirst) {
        operator = operatorSide(client, operatorNs, n, timeout);
      } else {
        kubectl = kubectlSide(plane, client, kubectlNs, n, timeout);
      }
    }
    cleanUp(client, timeout, kubectlNs);
    long heap = heapAfterGc(); // the operator with n systems (kubectl's objects are gone)
    return new Round(
        round + 1,
        operatorFirst ? "operator" : "kubectl",
        expectedObjects(n),
        operator[0],
        operator[1],
        kubectl,
        heap,
        operatorNs);
  }

  /** Millis until every child exists, and until every system has a status. */
  static long[] operatorSide(KubernetesClient client, String ns, int n, Duration timeout) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      client.resource(system(ns, i)).create();
    }
    int expected = expectedObjects(n);
    await("operator: " + expected + " children in " + ns, timeout)
        .until(() -> count(client, ns) >= expected);
    long childrenMs = millisSince(t0);
    await("operator: every status in " + ns, timeout)
        .until(
            () ->
                client
                    .resources(MicroserviceSystem.class)
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .stream()
                    .allMatch(
                        s -> s.getStatus() != null && s.getStatus().observedGeneration != null));
    return new long[] {childrenMs, millisSince(t0)};
  }

  /** kubectl: the same objects the operator writes, rendered by the same pure functions. */
  static long kubectlSide(
      LocalControlPlane plane, KubernetesClient client, String ns, int n, Duration timeout)
      throws Exception {
    List<HasMetadata> rendered = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rendered.addAll(render(system(ns, i)));
    }
    Path file = Files.createTempFile("rendered-" + n, ".yaml");
    Files.writeString(file, rendered.stream().map(JSON::asYaml).collect(Collectors.joining("\n")));
    long t0 = System.nanoTime();
    Command.run(
        List.of(
            plane.toolchain().kubectl().toString(),
            "--kubeconfig",
            plane.kubeconfig().toString(),
            "apply",
            "--server-side",
            "--field-manager=bench",
            "-f",
            file.toString()),
        timeout);
    long ms = millisSince(t0);
    Files.delete(file);
    int applied = count(client, ns);
    if (applied != rendered.size()) {
      throw new IllegalStateException(
          "kubectl applied " + applied + " of " + rendered.size() + " objects in " + ns);
    }
    return ms;
  }

  static Map<String, Object> summary(String name, int n, List<Round> rounds) {
    long operator = median(rounds.stream().map(Round::operatorMillis).toList());
    long status = median(rounds.stream().map(Round::operatorStatusMillis).toList());
    long kubectl = median(rounds.stream().map(Round::kubectlMillis).toList());
    double ratio = Math.round(100.0 * operator / Math.max(1, kubectl)) / 100.0;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("systems", n);
    result.put("objects", expectedObjects(n));
    result.put("rounds", rounds.size());
    result.put("medianOperatorMillis", operator);
    result.put("medianOperatorStatusMillis", status);
    result.put("medianKubectlServerSideApplyMillis", kubectl);
    result.put("ratioOfMedians", ratio);
    result.put("eachRound", rounds);
    System.out.printf(
        "%s N=%d: %d objects; median of %d rounds: operator %d ms (every status %d ms), kubectl"
            + " apply --server-side %d ms, ratio %.2f%n",
        name, n, expectedObjects(n), rounds.size(), operator, status, kubectl, ratio);
    return result;
  }

  /**
   * Resyncs of unchanged systems: each round touches an annotation of every system (the reconciler
   * is generation-unaware, so each is reconciled) and waits until the operator's reconcile counter
   * of every system has moved on; then counts the children whose resourceVersion changed.
   */
  static Map<String, Object> p2(
      KubernetesClient client, RunningOperator operator, String ns, int n, Settings settings) {
    // settled: every system has its status, so what follows are resyncs of unchanged systems
    await("P2: every status in " + ns, settings.timeout())
        .until(
            () ->
                client
                    .resources(MicroserviceSystem.class)
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .stream()
                    .allMatch(
                        s ->
                            s.getStatus() != null
                                && Objects.equals(
                                    s.getStatus().observedGeneration,
                                    s.getMetadata().getGeneration())));
    Map<String, String> before = versions(client, ns);
    Map<String, Long> start = reconciles(operator, ns);
    for (int r = 0; r < settings.resyncs(); r++) {
      Map<String, Long> roundStart = reconciles(operator, ns);
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
      await("P2 resync " + (r + 1) + ": every system reconciled again", settings.timeout())
          .until(
              () -> {
                Map<String, Long> now = reconciles(operator, ns);
                return IntStream.range(0, n)
                    .mapToObj(i -> "shop-" + i)
                    .allMatch(s -> now.getOrDefault(s, 0L) > roundStart.getOrDefault(s, 0L));
              });
    }
    Map<String, String> after = versions(client, ns);
    Map<String, Long> end = reconciles(operator, ns);
    long reconciled =
        end.entrySet().stream()
            .mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L))
            .sum();
    if (reconciled < (long) settings.resyncs() * n) {
      throw new IllegalStateException(
          "P2: " + reconciled + " reconciles counted, " + settings.resyncs() * n + " expected");
    }
    long writes = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("systems", n);
    result.put("resyncsPerSystem", settings.resyncs());
    result.put("reconcilesCounted", reconciled);
    result.put("children", before.size());
    result.put("childWrites", writes);
    result.put("writesPerReconcile", (double) writes / reconciled);
    System.out.printf(
        "P2: %d systems x %d resyncs, %d reconciles counted by the operator: %d writes to %d"
            + " children (%.3f per reconcile; target 0)%n",
        n, settings.resyncs(), reconciled, writes, before.size(), (double) writes / reconciled);
    return result;
  }

  /** The quiet period after the last expected reconcile in which none more may come. */
  static final Duration QUIET = Duration.ofSeconds(5);

  /**
   * Right after the resyncs (each system's next scheduled reconcile is ~30 s away, longer than this
   * window): one KafkaTopic per system is reported Ready by its topic operator, one external event
   * per system. Each system is reconciled once and its status patched once (topicsReady moves);
   * without the informer's update filter ({@code SpecOrMetadataChanged}) that status patch is an
   * update event of its own and reconciles the system again.
   */
  static Map<String, Object> p2StatusPatches(
      KubernetesClient client, RunningOperator operator, String ns, int n) {
    Duration timeout = Duration.ofSeconds(60);
    Map<String, String> systemVersions = new LinkedHashMap<>();
    Map<String, String> topicsReady = new LinkedHashMap<>();
    client
        .resources(MicroserviceSystem.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            s -> {
              systemVersions.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion());
              topicsReady.put(s.getMetadata().getName(), s.getStatus().topicsReady);
            });
    Map<String, Long> start = reconciles(operator, ns);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      var system = system(ns, i);
      var first = system.getSpec().kafka.topicList().get(0);
      String name = KafkaTopics.of(system, system.getSpec().kafka, first).getMetadata().getName();
      var topic = client.resources(KafkaTopic.class).inNamespace(ns).withName(name).get();
      topic.setStatus(
          new KafkaTopicStatusBuilder()
              .withObservedGeneration(topic.getMetadata().getGeneration())
              .withConditions(
                  new ConditionBuilder()
                      .withType("Ready")
                      .withStatus("True")
                      .withLastTransitionTime("2026-12-02T00:00:00Z")
                      .build())
              .build());
      client.resource(topic).inNamespace(ns).updateStatus();
    }
    await("P2: every system's status shows its topic Ready", timeout)
        .until(
            () ->
                client
                    .resources(MicroserviceSystem.class)
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .stream()
                    .noneMatch(
                        s ->
                            Objects.equals(
                                s.getStatus().topicsReady,
                                topicsReady.get(s.getMetadata().getName()))));
    await("P2: one reconcile per system for its topic", timeout)
        .until(() -> delta(start, reconciles(operator, ns)) >= n);
    // a reconcile from a status patch would follow within milliseconds: none may come in QUIET
    long[] counted = new long[1];
    Awaitility.await("P2: no reconcile more in " + QUIET.toSeconds() + " s")
        .during(QUIET)
        .atMost(QUIET.plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> (counted[0] = delta(start, reconciles(operator, ns))) == n);
    long windowMs = millisSince(t0);
    long statusPatches =
        client.resources(MicroserviceSystem.class).inNamespace(ns).list().getItems().stream()
            .filter(
                s ->
                    !s.getMetadata()
                        .getResourceVersion()
                        .equals(systemVersions.get(s.getMetadata().getName())))
            .count();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("externalEvents", n);
    result.put("systemsWithStatusPatched", statusPatches);
    result.put("reconcilesCounted", counted[0]);
    result.put("reconcilesCausedByOwnStatusPatches", counted[0] - n);
    result.put("windowMillis", windowMs);
    System.out.printf(
        "P2: %d external events (a KafkaTopic turning Ready), %d systems' status patched, %d"
            + " reconciles counted in %d ms: %d caused by the operator's own status patches"
            + " (target 0)%n",
        n, statusPatches, counted[0], windowMs, counted[0] - n);
    return result;
  }

  static long delta(Map<String, Long> start, Map<String, Long> now) {
    return now.entrySet().stream()
        .mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L))
        .sum();
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

  /** Successful reconciles per system of the namespace, from the operator's own metrics. */
  static Map<String, Long> reconciles(RunningOperator operator, String ns) {
    Map<String, Long> counts = new TreeMap<>();
    operator.registry().getMeters().stream()
        .filter(
            m -> m.getId().getName().equals(RECONCILED) && ns.equals(m.getId().getTag("namespace")))
        .forEach(
            m ->
                counts.merge(
                    m.getId().getTag("name"),
                    (long) m.measure().iterator().next().getValue(),
                    Long::sum));
    return counts;
  }

  /** Deletes the systems of the namespaces, then every child left (no garbage collector runs). */
  static void cleanUp(KubernetesClient client, Duration timeout, String... namespaces) {
    for (String ns : namespaces) {
      client.resources(MicroserviceSystem.class).inNamespace(ns).delete();
      await("systems deleted in " + ns, timeout)
          .until(
              () ->
                  client
                      .resources(MicroserviceSystem.class)
                      .inNamespace(ns)
                      .list()
                      .getItems()
                      .isEmpty());
      for (var kind : KINDS) {
        client.resources(kind).inNamespace(ns).delete();
      }
      await("children deleted in " + ns, timeout).until(() -> count(client, ns) == 0);
    }
  }

  static int expectedObjects(int n) {
    return render(system("any", 0)).size() * n;
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** A bounded wait: past the deadline the benchmark fails (ConditionTimeoutException). */
  static ConditionFactory await(String what, Duration timeout) {
    return Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100));
  }

  static void write(Path file, Map<String, Object> figures) throws Exception {
    Files.writeString(file, JSON.asJson(figures));
    System.out.println("wrote " + file);
  }
}
