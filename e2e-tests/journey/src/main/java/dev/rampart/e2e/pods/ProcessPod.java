package dev.rampart.e2e.pods;

import dev.rampart.testing.ManagedProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod played by the runner: its container runs as a JVM bound to the pod's own loopback
 * address, in a mount namespace where its ServiceAccount token sits at the standard path. Probes
 * run as the pod spec says (readiness and liveness only once the startup probe, if any, passed);
 * the pod's status is written back as a kubelet would; the container restarts per restartPolicy,
 * and stops within the pod's grace period. One container per pod (what Rampart's workloads use);
 * anything else is reported in the pod's status.
 */
final class ProcessPod {
  private static final Logger log = LoggerFactory.getLogger(ProcessPod.class);
  private static final HttpClient PROBE_CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final KubernetesClient client;
  private final RunnerSettings settings;
  private final String ip;
  private final Path dir;
  private volatile Pod pod;
  private ManagedProcess process;
  private int restartCount;
  private Instant containerStartedAt;
  private Instant nextRestartAt;
  private Integer lastExitCode;
  private boolean ready;
  private boolean started;
  private int startupFailures;
  private int livenessFailures;
  private int readinessFailures;
  private Instant nextStartupProbe = Instant.EPOCH;
  private Instant nextReadinessProbe = Instant.EPOCH;
  private Instant nextLivenessProbe = Instant.EPOCH;
  private String waitingReason;
  private String waitingMessage;
  private String lastWrittenStatus = "";
  private String lastStatusError;
  private boolean stopped;

  ProcessPod(KubernetesClient client, RunnerSettings settings, Pod pod, String ip, Path dir) {
    this.client = client;
    this.settings = settings;
    this.pod = pod;
    this.ip = ip;
    this.dir = dir;
  }

  String ip() {
    return ip;
  }

  Pod pod() {
    return pod;
  }

  /** Ready as its status last says: the container started and its readiness probe passes. */
  boolean isReady() {
    return started && ready && process != null && process.isAlive();
  }

  String key() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  void update(Pod latest) {
    this.pod = latest;
  }

  Path log() {
    return dir.resolve("container.log");
  }

  /**
   * One step of the pod's life: start/restart the container, run due probes, write status if it
   * changed.
   */
  synchronized void tick() {
    if (stopped) {
      return;
    }
    try {
      if (process == null || !process.isAlive()) {
        if (process != null) {
          containerExited();
        }
        if (nextRestartAt == null || Instant.now().isAfter(nextRestartAt)) {
          if (process == null || restartAllowed()) {
            startContainer();
          }
        }
      } else {
        probe();
      }
    } catch (PodStartException e) {
      waitingReason = e.reason();
      waitingMessage = e.getMessage();
      nextRestartAt = Instant.now().plusSeconds(5);
    }
    writeStatus();
  }

  private boolean restartAllowed() {
    String policy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    return "Always".equals(policy)
        || ("OnFailure".equals(policy) && lastExitCode != null && lastExitCode != 0);
  }

  private void containerExited() {
    int exit = process.waitFor(5);
    log.info("pod {} container exited with {}", key(), exit);
    lastExitCode = exit;
    process = null;
    ready = false;
    started = false;
    restartCount++;
    long backoff = Math.min(30, 1L << Math.min(restartCount, 5));
    nextRestartAt = Instant.now().plusSeconds(backoff);
    waitingReason = "CrashLoopBackOff";
    waitingMessage =
        "back-off " + backoff + "s restarting failed container (exit code " + exit + ")";
  }

  private void startContainer() {
    List<Container> containers = pod.getSpec().getContainers();
    if (containers.size() != 1 || !pod.getSpec().getInitContainers().isEmpty()) {
      throw new PodStartException(
          "CreateContainerError",
          "the process pod runner runs exactly one container and no init containers");
    }
    Container container = containers.get(0);
    Launch launch =
        settings
            .images()
            .launchFor(container.getImage())
            .orElseThrow(
                () ->
                    new PodStartException(
                        "ErrImagePull", "no local module builds image " + container.getImage()));
    Map<String, String> env =
        PodEnvironment.of(
            client, pod, container, ip, settings.apiServerHost(), settings.apiServerPort());
    Path serviceAccount = ServiceAccountMount.write(client, pod, dir, settings.caCertificate());

    List<PodVolumes.BindMount> mounts = new ArrayList<>();
    // The image's files are this machine's (the JVM, the module's classpath, the pod's own
    // directory): a volume
    // mounted over one of their parents (e.g. an emptyDir at /tmp when the checkout lives under
    // /tmp) would hide
    // the program itself. Such a volume is not mounted; its path stays this machine's writable
    // directory.
    List<String> program =
        new ArrayList<>(List.of(launch.classpath().split(java.io.File.pathSeparator)));
    program.add(settings.javaBinary());
    program.add(dir.toString());
    for (PodVolumes.BindMount mount : PodVolumes.materialize(client, pod, container, dir)) {
      Path mountPath = Path.of(mount.mountPath()).normalize();
      if (program.stream().anyMatch(entry -> Path.of(entry).normalize().startsWith(mountPath))) {
        log.info(
            "pod {}: volume at {} is not mounted: it would hide the pod's program files",
            key(),
            mountPath);
      } else {
        mounts.add(mount);
      }
    }
    mounts.add(new PodVolumes.BindMount(serviceAccount, ServiceAccountMount.STANDARD_PATH, true));
    // the Services' names, as cluster DNS would answer them (ServiceHosts)
    mounts.add(new PodVolumes.BindMount(ServiceHosts.of(settings), "/etc/hosts", true));
    // A private mount namespace per pod: its volumes and token appear at their paths for this
    // process only.
    StringBuilder script = new StringBuilder();
    for (PodVolumes.BindMount mount : mounts) {
      String source = shellQuote(mount.source().toString());
      String target = shellQuote(mount.mountPath());
      if (java.nio.file.Files.isRegularFile(mount.source())) {
        script.append("mount --bind ").append(source).append(' ').append(target);
      } else {
        script
            .append("mkdir -p ")
            .append(target)
            .append(" && mount --bind ")
            .append(source)
            .append(' ')
            .append(target);
      }
      if (mount.readOnly()) {
        script.append(" && mount -o remount,bind,ro ").append(target);
      }
      script.append(" && ");
    }
    script.append("exec \"$@\"");
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                script.toString(),
                "pod-" + pod.getMetadata().getName()));
    command.add(settings.javaBinary());
    command.addAll(jvmOptions(container));
    command.addAll(launch.jvmOptions());
    command.addAll(List.of("-cp", launch.classpath(), launch.mainClass()));
    command.addAll(container.getArgs());
    process = ManagedProcess.start(key(), command, env, log());
    containerStartedAt = Instant.now();
    waitingReason = null;
    waitingMessage = null;
    startupFailures = 0;
    livenessFailures = 0;
    readinessFailures = 0;
    nextStartupProbe = containerStartedAt.plusSeconds(initialDelay(container.getStartupProbe()));
    nextReadinessProbe =
        containerStartedAt.plusSeconds(initialDelay(container.getReadinessProbe()));
    nextLivenessProbe = containerStartedAt.plusSeconds(initialDelay(container.getLivenessProbe()));
    // without a startup probe the container counts as started at once, as the kubelet has it
    started = container.getStartupProbe() == null;
    log.info("pod {} started on {} as {}", key(), ip, process);
  }

  private void probe() {
    Container container = pod.getSpec().getContainers().get(0);
    Instant now = Instant.now();
    if (!started) {
      probeStartup(container, now);
      return; // the kubelet runs neither readiness nor liveness before the startup probe passed
    }
    Probe readiness = container.getReadinessProbe();
    if (readiness == null) {
      ready = true;
    } else if (now.isAfter(nextReadinessProbe)) {
      nextReadinessProbe = now.plusSeconds(orDefault(readiness.getPeriodSeconds(), 10));
      if (check(container, readiness)) {
        readinessFailures = 0;
        if (!ready) {
          log.info("pod {} is ready", key());
        }
        ready = true;
      } else if (++readinessFailures >= orDefault(readiness.getFailureThreshold(), 3) || !ready) {
        ready = false;
      }
    }
    Probe liveness = container.getLivenessProbe();
    if (liveness != null && now.isAfter(nextLivenessProbe)) {
      nextLivenessProbe = now.plusSeconds(orDefault(liveness.getPeriodSeconds(), 10));
      if (check(container, liveness)) {
        livenessFailures = 0;
      } else if (++livenessFailures >= orDefault(liveness.getFailureThreshold(), 3)) {
        log.warn(
            "pod {} failed its liveness probe {} times: restarting the container",
            key(),
            livenessFailures);
        process.kill();
      }
    }
  }

  private void probeStartup(Container container, Instant now) {
    Probe startup = container.getStartupProbe();
    if (!now.isAfter(nextStartupProbe)) {
      return;
    }
    nextStartupProbe = now.plusSeconds(orDefault(startup.getPeriodSeconds(), 10));
    if (check(container, startup)) {
      log.info("pod {} started (startup probe passed)", key());
      started = true;
      nextReadinessProbe = later(nextReadinessProbe, now);
      nextLivenessProbe = later(nextLivenessProbe, now);
    } else if (++startupFailures >= orDefault(startup.getFailureThreshold(), 3)) {
      log.warn(
          "pod {} failed its startup probe {} times: restarting the container",
          key(),
          startupFailures);
      process.kill();
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static int initialDelay(Probe probe) {
    return probe == null ? 0 : orDefault(probe.getInitialDelaySeconds(), 0);
  }

  private boolean check(Container container, Probe probe) {
    HTTPGetAction http = probe.getHttpGet();
    if (http == null) {
      return true; // exec/tcp probes are not used by Rampart's workloads
    }
    int port = resolvePort(container, http.getPort());
    String path = http.getPath() == null ? "/" : http.getPath();
    try {
      HttpResponse<Void> response =
          PROBE_CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                  .timeout(Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1)))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (Exception e) {
      return false;
    }
  }

  private static int resolvePort(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new PodStartException(
                    "CreateContainerConfigError",
                    "probe port " + port.getStrVal() + " is not a named container port"))
        .getContainerPort();
  }

  private List<String> jvmOptions(Container container) {
    long heapMb = 256;
    if (container.getResources() != null && container.getResources().getLimits() != null) {
      Quantity memory = container.getResources().getLimits().get("memory");
      if (memory != null) {
        heapMb =
            Math.max(96, Quantity.getAmountInBytes(memory).longValue() * 6 / 10 / (1024 * 1024));
      }
    }
    // small, quick-starting JVMs: a dozen of them share two cores
    return List.of(
        "-Xmx" + heapMb + "m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xss512k",
        "-XX:MaxMetaspaceSize=256m",
        "-Djava.net.preferIPv4Stack=true");
  }

  private void writeStatus() {
    Container container =
        pod.getSpec().getContainers().isEmpty() ? null : pod.getSpec().getContainers().get(0);
    boolean running = process != null && process.isAlive();
    String phase = running || restartCount > 0 ? "Running" : "Pending";
    ContainerStatusBuilder cs =
        new ContainerStatusBuilder()
            .withName(container == null ? "none" : container.getName())
            .withImage(container == null ? "" : container.getImage())
            .withImageID("process://" + (container == null ? "" : container.getImage()))
            .withContainerID(running ? "process://" + process.pid() : null)
            .withReady(running && ready)
            .withStarted(running && started)
            .withRestartCount(restartCount);
    if (running) {
      cs.withState(
          new ContainerStateBuilder()
              .withNewRunning()
              .withStartedAt(format(containerStartedAt))
              .endRunning()
              .build());
    } else {
      cs.withState(
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason(waitingReason == null ? "ContainerCreating" : waitingReason)
              .withMessage(waitingMessage)
              .endWaiting()
              .build());
    }
    if (lastExitCode != null) {
      cs.withLastState(
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(lastExitCode)
              .withReason(lastExitCode == 0 ? "Completed" : "Error")
              .endTerminated()
              .build());
    }
    ContainerStatus containerStatus = cs.build();
    boolean podReady = running && ready;
    List<PodCondition> conditions =
        List.of(
            condition("PodScheduled", true), condition("Initialized", true),
            condition("ContainersReady", podReady), condition("Ready", podReady));
    String signature =
        phase + podReady + running + restartCount + waitingReason + waitingMessage + lastExitCode;
    if (signature.equals(lastWrittenStatus)) {
      return;
    }
    Pod patch =
        new PodBuilder()
            .withNewMetadata()
            .withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace())
            .endMetadata()
            .withNewStatus()
            .withPhase(phase)
            .withHostIP("127.0.0.1")
            .withPodIP(ip)
            .withPodIPs(new PodIP(ip))
            .withStartTime(format(containerStartedAt == null ? Instant.now() : containerStartedAt))
            .withConditions(conditions)
            .withContainerStatuses(containerStatus)
            .endStatus()
            .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(patch).patchStatus();
      lastWrittenStatus = signature;
    } catch (RuntimeException e) {
      if (!e.getMessage().equals(lastStatusError)) {
        log.warn("status write for {} failed (will retry): {}", key(), e.getMessage());
        lastStatusError = e.getMessage();
      }
    }
  }

  private PodCondition condition(String type, boolean status) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(format(Instant.now()))
        .build();
  }

  /**
   * The grace period the kubelet gives the container on deletion: the deletion's own (what {@code
   * kubectl delete --grace-period} or the API server's default set), else the pod's {@code
   * terminationGracePeriodSeconds}, else Kubernetes' default of 30 s.
   */
  Duration gracePeriod(Pod deleted) {
    Long seconds = deleted.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds == null) {
      seconds = deleted.getSpec().getTerminationGracePeriodSeconds();
    }
    return Duration.ofSeconds(seconds == null ? 30 : seconds);
  }

  /**
   * Stops the container: SIGTERM, then SIGKILL once {@code grace} has passed. The wait holds no
   * lock, so a tick of this pod cannot stall the runner's ticker for the grace period.
   */
  void stop(Duration grace) {
    ManagedProcess stopping;
    synchronized (this) {
      stopped = true;
      stopping = process;
      process = null;
    }
    if (stopping != null) {
      log.info("pod {}: SIGTERM, {} s to stop", key(), grace.toSeconds());
      stopping.close(grace);
    }
  }

  /** kill -9 of the container, without telling the API server (a crash). */
  synchronized void crash() {
    if (process != null) {
      process.kill();
    }
  }

  String logTail(int lines) {
    return process != null ? process.logTail(lines) : "(not running)";
  }

  private static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
