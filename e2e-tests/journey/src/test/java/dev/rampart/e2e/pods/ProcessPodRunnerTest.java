package dev.rampart.e2e.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.testing.FreePorts;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner against a real control plane (apiserver, etcd, controller-manager, scheduler): a
 * Deployment's pods are scheduled to the runner's Node, run as JVMs on their own loopback addresses
 * with the pod's env and a bound ServiceAccount token that RBAC judges, become Ready through their
 * probes, are replaced when deleted and restarted when they crash.
 */
class ProcessPodRunnerTest {
  private static final String NS = "runner-test";

  /**
   * The directory holding this module's compiled classes, i.e. part of the probe pod's classpath.
   */
  private static final String PROGRAM_PARENT =
      Paths.get(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0])
          .toAbsolutePath()
          .getParent()
          .toString();

  private static Path podsDir;
  private static LocalControlPlane controlPlane;
  private static KubernetesClient client;
  private static ProcessPodRunner runner;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    controlPlane = LocalControlPlane.builder().withControllerManager().withScheduler().start();
    client = controlPlane.client();
    ImageCatalog images =
        new ImageCatalog()
            .register(
                "example.test/probe-app",
                new Launch(
                    System.getProperty("java.class.path"), PodProbeApp.class.getName(), List.of()));
    runner =
        ProcessPodRunner.start(
            client,
            new RunnerSettings(
                "rampart-local",
                controlPlane.apiServerHost(),
                controlPlane.apiServerPort(),
                controlPlane.caCertificate(),
                images,
                podsDir = Files.createTempDirectory("pods-"),
                Paths.get(System.getProperty("java.home"), "bin", "java").toString()));

    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    client
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("prober").endMetadata().build())
        .create();
    client
        .rbac()
        .roles()
        .inNamespace(NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("pod-reader")
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list", "watch")
                        .build())
                .build())
        .create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("prober-reads-pods")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("pod-reader")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("prober")
                .withNamespace(NS)
                .endSubject()
                .build())
        .create();
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("greeting")
                .endMetadata()
                .addToStringData("text", "hello from a Secret")
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("probe")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "probe")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "probe")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("prober")
                .addNewContainer()
                .withName("app")
                .withImage("example.test/probe-app:1.0")
                .withArgs("--mode", "test")
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .endPort()
                .addNewEnv()
                .withName("POD_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("POD_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("GREETING")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("greeting")
                .withKey("text")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("EXPANDED")
                .withValue("$(POD_NAME)@$(POD_IP)")
                .endEnv()
                .addNewVolumeMount()
                .withName("greeting")
                .withMountPath("/etc/rampart-probe")
                .withReadOnly(true)
                .endVolumeMount()
                // like the chart's emptyDir at /tmp when the checkout lives under /tmp: must not
                // hide the pod's program
                .addNewVolumeMount()
                .withName("scratch")
                .withMountPath(PROGRAM_PARENT)
                .endVolumeMount()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .addNewVolume()
                .withName("scratch")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addNewVolume()
                .withName("greeting")
                .withNewSecret()
                .withSecretName("greeting")
                .addNewItem()
                .withKey("text")
                .withPath("greeting.txt")
                .endItem()
                .endSecret()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (runner != null) {
      runner.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void runsADeploymentsPodsAsReadyProcessesWithTheirOwnAddressesEnvAndToken() throws Exception {
    List<Pod> pods = awaitReadyPods(2);
    List<String> ips =
        pods.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toList());
    assertThat(ips)
        .doesNotHaveDuplicates()
        .allMatch(ip -> ip.matches("127\\.(6[4-9]|[7-9][0-9]|1[0-8][0-9]|19[01])\\.\\d+\\.\\d+"));
    assertThat(pods)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("rampart-local"));
    assertThat(Paths.get("/etc/rampart-probe/greeting.txt")).doesNotExist();

    for (Pod pod : pods) {
      String whoami = get("http://" + pod.getStatus().getPodIP() + ":8080/whoami");
      assertThat(whoami)
          .contains("POD_NAME=" + pod.getMetadata().getName())
          .contains("POD_IP=" + pod.getStatus().getPodIP())
          .contains("SECRET=hello from a Secret")
          .contains("EXPANDED=" + pod.getMetadata().getName() + "@" + pod.getStatus().getPodIP())
          .contains("ARGS=--mode test")
          // a Secret volume, at its mount path inside this pod's mount namespace only
          .contains("FILE=hello from a Secret")
          .contains("NAMESPACE=" + NS)
          // the bound token is a real identity: its Role lets it read pods, and nothing else
          .contains("PODS=200")
          .contains("SECRETS=403");
    }

    // No EndpointSlice assertion: the API server rejects loopback endpoint addresses, so Services
    // have no
    // endpoints here. Nothing in Rampart needs them: Akka discovery and gRPC clients list pods by
    // label.
  }

  @Test
  void replacesADeletedPodAndRestartsACrashedOne() throws Exception {
    List<Pod> pods = awaitReadyPods(2);
    Pod victim = pods.get(0);
    String victimIp = victim.getStatus().getPodIP();
    client.pods().inNamespace(NS).withName(victim.getMetadata().getName()).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> now = readyPods();
              assertThat(now)
                  .hasSize(2)
                  .noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName()));
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> !FreePorts.isListening(victimIp, 8080));

    Pod crashing = readyPods().get(0);
    runner.crash(NS, crashing.getMetadata().getName());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Pod restarted =
                  client.pods().inNamespace(NS).withName(crashing.getMetadata().getName()).get();
              assertThat(restarted.getStatus().getContainerStatuses().get(0).getRestartCount())
                  .isEqualTo(1);
              assertThat(restarted.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
              assertThat(restarted.getStatus().getPodIP())
                  .isEqualTo(crashing.getStatus().getPodIP());
            });
    assertThat(get("http://" + crashing.getStatus().getPodIP() + ":8080/whoami"))
        .contains("PODS=200");
  }

  @Test
  void livenessWaitsForTheStartupProbeOfASlowStartingContainer() {
    // /alive answers only after 8 s: liveness alone (2 failures 1 s apart) would restart it for
    // ever
    create(
        deployment(
            "slow-start",
            Map.of("STARTUP_DELAY_MS", "8000"),
            httpProbe("/alive", 1, 30),
            httpProbe("/alive", 1, 2),
            null));
    // the same container is still there once its start-up is over (its /alive answers)
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Pod pod = onlyPod("slow-start");
              assertThat(get("http://" + pod.getStatus().getPodIP() + ":8080/alive", 2))
                  .as("/alive")
                  .isEqualTo(200);
              ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
              assertThat(status.getReady()).as("ready").isTrue();
              assertThat(status.getStarted()).as("started").isTrue();
            });
    assertThat(onlyContainer("slow-start").getRestartCount()).as("restarts").isZero();
  }

  @Test
  void aContainerThatFailsItsStartupProbeIsRestartedAndNeverProbedForReadiness() {
    create(deployment("never-starts", Map.of(), httpProbe("/never", 1, 2), null, null));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(onlyContainer("never-starts").getRestartCount())
                    .as("restarts")
                    .isPositive());
    // its /ready answers 200, but readiness is not probed before the startup probe passed
    ContainerStatus status = onlyContainer("never-starts");
    assertThat(status.getStarted()).as("started").isFalse();
    assertThat(status.getReady()).as("ready").isFalse();
  }

  @Test
  void aDeletedPodGetsItsTerminationGracePeriodToStop() throws Exception {
    // 20 s to stop, within its 40 s grace period (and longer than a fixed 15 s would allow)
    Deployment slowStop = deployment("slow-stop", Map.of("SHUTDOWN_MS", "20000"), null, null, null);
    slowStop.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(40L);
    create(slowStop);
    Pod pod = awaitReadyPods("slow-stop", 1).get(0);
    String name = pod.getMetadata().getName();
    Path log = podsDir.resolve(NS + "_" + name).resolve("container.log");
    client.pods().inNamespace(NS).withName(name).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.pods().inNamespace(NS).withName(name).get() == null);
    assertThat(Files.readString(log))
        .as("the container's log: its shutdown ran to the end")
        .contains(PodProbeApp.STOPPED_GRACEFULLY);
  }

  private static Deployment deployment(
      String app, Map<String, String> env, Probe startup, Probe liveness, Probe readiness) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(app)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName("prober")
        .addNewContainer()
        .withName("app")
        .withImage("example.test/probe-app:1.0")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .addNewEnv()
        .withName("POD_IP")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("status.podIP")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addAllToEnv(
            env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
        .withStartupProbe(startup)
        .withLivenessProbe(liveness)
        .withReadinessProbe(readiness == null ? httpProbe("/ready", 1, 3) : readiness)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static void create(Deployment deployment) {
    client.apps().deployments().inNamespace(NS).resource(deployment).create();
  }

  /** The status of the one container of the app's one live pod (failing while there is none). */
  private static ContainerStatus onlyContainer(String app) {
    return onlyPod(app).getStatus().getContainerStatuses().get(0);
  }

  /** The app's one live pod, with its container's status (failing while there is none). */
  private static Pod onlyPod(String app) {
    List<Pod> pods =
        client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    assertThat(pods).as(app + " pods").hasSize(1);
    assertThat(pods.get(0).getStatus().getContainerStatuses()).as("container statuses").hasSize(1);
    return pods.get(0);
  }

  /** The HTTP status of a GET, or -1 when nothing answers. */
  private static int get(String url, int timeoutSeconds) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(timeoutSeconds))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static List<Pod> awaitReadyPods(String app, int count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(readyPods(app)).hasSize(count));
    return readyPods(app);
  }

  private static List<Pod> awaitReadyPods(int count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(readyPods()).hasSize(count));
    return readyPods();
  }

  private static List<Pod> readyPods() {
    return readyPods("probe");
  }

  private static List<Pod> readyPods(String app) {
    return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
        .filter(
            p ->
                p.getMetadata().getDeletionTimestamp() == null
                    && p.getStatus() != null
                    && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .collect(Collectors.toList());
  }

  private static String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
