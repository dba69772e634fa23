package dev.rampart.e2e.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet for one Node: every pod the scheduler binds to it runs as a local JVM (the
 * image mapped to its module's classpath) on a loopback address of its own (127.b.x.y, reported as
 * status.podIP), with the pod's env and a real bound ServiceAccount token; probes decide readiness;
 * deleting the pod stops the JVM within the pod's grace period (SIGTERM first, as a kubelet does,
 * so Akka's coordinated shutdown can leave the cluster) and then completes the deletion. Services
 * and the operator run unchanged under it; Service names resolve to a Ready pod's address through a
 * hosts file mounted at /etc/hosts ({@link ServiceHosts}). The block b is chosen at random per
 * runner (64–191), so two runs on one machine, or a run beside the services' own tests on
 * 127.0.x.y, do not share addresses.
 */
public final class ProcessPodRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessPodRunner.class);

  private final KubernetesClient client;
  private final RunnerSettings settings;
  private final LocalNode node;
  private final Map<String, ProcessPod> pods = new ConcurrentHashMap<>();

  /** Pods being stopped: later events about them must not complete their deletion early. */
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();

  private final AtomicInteger nextAddress = new AtomicInteger(1);
  private final int addressBlock =
      64 + java.util.concurrent.ThreadLocalRandom.current().nextInt(128);
  private final ScheduledExecutorService ticker =
      Executors.newScheduledThreadPool(2, daemon("pod-ticker"));
  private final ExecutorService lifecycle = Executors.newCachedThreadPool(daemon("pod-lifecycle"));
  private final SharedIndexInformer<Pod> informer;
  private final SharedIndexInformer<Service> services;
  private final ServiceHosts hosts;

  private ProcessPodRunner(KubernetesClient client, RunnerSettings settings) {
    this.client = client;
    this.settings = settings;
    this.node = LocalNode.register(client, settings.nodeName());
    this.hosts = new ServiceHosts(settings.workDir());
    this.services = client.services().inAnyNamespace().inform();
    this.informer =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", settings.nodeName())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    terminating.remove(key(pod));
                    ProcessPod gone = pods.remove(key(pod));
                    if (gone != null) {
                      // deleted without a graceful deletion first (e.g. --force): the kubelet's
                      // minimum
                      lifecycle.submit(() -> gone.stop(Duration.ofSeconds(2)));
                    }
                  }
                },
                30_000);
    ticker.scheduleWithFixedDelay(this::tickAll, 500, 500, TimeUnit.MILLISECONDS);
  }

  public static ProcessPodRunner start(KubernetesClient client, RunnerSettings settings) {
    try {
      Files.createDirectories(settings.workDir());
      Files.createDirectories(Path.of(ServiceAccountMount.STANDARD_PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare " + settings.workDir() + " and the ServiceAccount mount point", e);
    }
    return new ProcessPodRunner(client, settings);
  }

  public String nodeName() {
    return node.name();
  }

  /** The pods this runner runs now. */
  public Collection<String> runningPods() {
    return List.copyOf(pods.keySet());
  }

  /** kill -9 of a pod's JVM, the API server not told: what a crashed container looks like. */
  public void crash(String namespace, String name) {
    Optional.ofNullable(pods.get(namespace + "/" + name)).ifPresent(ProcessPod::crash);
  }

  public Optional<Path> logOf(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name)).map(ProcessPod::log);
  }

  private void handle(Pod pod) {
    String key = key(pod);
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (!terminating.add(key)) {
        return; // already stopping: its deletion completes when the container has stopped
      }
      ProcessPod running = pods.remove(key);
      lifecycle.submit(
          () -> {
            if (running != null) {
              running.stop(running.gracePeriod(pod));
            }
            // the kubelet's last word: the containers are gone, the object may go
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withGracePeriod(0)
                .delete();
            log.info("pod {} stopped and deleted", key);
          });
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    pods.compute(
        key,
        (k, existing) -> {
          if (existing != null) {
            existing.update(pod);
            return existing;
          }
          String ip = allocateAddress();
          Path dir =
              settings
                  .workDir()
                  .resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName());
          try {
            Files.createDirectories(dir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          log.info("pod {} bound to {}: address {}", key, node.name(), ip);
          return new ProcessPod(client, settings, pod, ip, dir);
        });
  }

  private void tickAll() {
    for (ProcessPod pod : pods.values()) {
      try {
        pod.tick();
      } catch (RuntimeException e) {
        log.warn("pod {}: {}", pod.key(), e.toString());
      }
    }
    try {
      hosts.update(services.getStore().list(), pods.values());
    } catch (RuntimeException e) {
      log.warn("service hosts: {}", e.toString());
    }
  }

  private String allocateAddress() {
    int n = nextAddress.getAndIncrement();
    return "127." + addressBlock + "." + (1 + n / 250) + "." + (1 + n % 250);
  }

  /**
   * The address that plays {@code localhost} for the pod at {@code podIp} (127.b.x.y becomes
   * 127.b.(x+128).y): pods here share one network namespace, so each gets a distinct one, in its
   * env as {@link dev.rampart.contract.Env#LOCALHOST}, where its servers listen too as they do on a
   * real pod's 127.0.0.1 (for kubectl port-forward).
   */
  public static String localhostOf(String podIp) {
    String[] octets = podIp.split("\\.");
    return octets[0]
        + "."
        + octets[1]
        + "."
        + (Integer.parseInt(octets[2]) + 128)
        + "."
        + octets[3];
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    informer.close();
    services.close();
    ticker.shutdownNow();
    // the whole node goes: no grace period to wait for each pod
    pods.values().parallelStream().forEach(p -> p.stop(Duration.ofSeconds(15)));
    pods.clear();
    lifecycle.shutdownNow();
    node.close();
  }
}
