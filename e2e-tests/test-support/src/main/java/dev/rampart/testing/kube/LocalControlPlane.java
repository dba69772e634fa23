package dev.rampart.testing.kube;

import dev.rampart.testing.Command;
import dev.rampart.testing.ManagedProcess;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on this machine: kube-apiserver + etcd started by fabric8
 * kube-api-test (offline, binaries from {@link Toolchain}), and optionally kube-controller-manager
 * and kube-scheduler wired to the same API server, so Deployments get ReplicaSets and Pods,
 * namespaces finish deleting and ownerReferences garbage-collect. Writes a kubeconfig other
 * processes (kubectl, helm) can use.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);

  private final KubeAPIServer apiServer;
  private final Path workDir;
  private final Path kubeconfig;
  private final String apiServerUrl;
  private final KubernetesClient client;
  private final List<ManagedProcess> controllers;
  private final Toolchain toolchain;

  private LocalControlPlane(Builder builder) {
    this.toolchain = Toolchain.current();
    Path kubeApiTestDir = toolchain.kubeApiTestDir();
    try {
      this.workDir = Files.createTempDirectory("rampart-control-plane-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The builder API, never the KUBE_API_TEST_OFFLINE_MODE env var (it throws ClassCastException
    // in <= 7.8).
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withOfflineMode(true)
            .withTestDir(kubeApiTestDir.toString())
            .withApiServerVersion(toolchain.kubernetesVersion())
            .withUpdateKubeConfig(false)
            .withStartupTimeout(120_000);
    builder.apiServerFlags.forEach((flag, value) -> config.withApiServerFlag(flag, value));
    long started = System.nanoTime();
    this.apiServer = new KubeAPIServer(config.build());
    apiServer.start();
    String kubeconfigYaml = apiServer.getKubeConfigYaml();
    this.kubeconfig = workDir.resolve("kubeconfig");
    write(kubeconfig, kubeconfigYaml);
    this.client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
    this.apiServerUrl = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
    this.controllers = new ArrayList<>();
    // before the controllers: the garbage collector maps owners and dependents through the
    // discovery it did at start, and learns of later CRDs only at its next resync (30 s)
    try {
      installCrds(builder.crds.toArray(Path[]::new));
    } catch (RuntimeException e) {
      client.close();
      apiServer.stop();
      throw e;
    }
    if (builder.controllerManager) {
      controllers.add(startControllerManager(kubeApiTestDir));
    }
    if (builder.scheduler) {
      controllers.add(startScheduler());
    }
    log.info(
        "control plane up at {} in {} ms (kubeconfig {}; controllers {})",
        apiServerUrl,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        kubeconfig,
        controllers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An admin client (system:masters). */
  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig file for other processes (kubectl, helm, the operator). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** e.g. https://127.0.0.1:41234 */
  public String apiServerUrl() {
    return apiServerUrl;
  }

  public String apiServerHost() {
    return URI.create(apiServerUrl).getHost();
  }

  public int apiServerPort() {
    return URI.create(apiServerUrl).getPort();
  }

  /** The API server's serving CA (what a pod's ServiceAccount mount holds as ca.crt). */
  public Path caCertificate() {
    return toolchain.kubeApiTestDir().resolve("apiserver.crt");
  }

  public Toolchain toolchain() {
    return toolchain;
  }

  /** Logs of the controller processes, for failure messages. */
  public List<ManagedProcess> controllerProcesses() {
    return List.copyOf(controllers);
  }

  /**
   * Server-side applies every CustomResourceDefinition in the given YAML files and waits until
   * Established.
   */
  public void installCrds(Path... yamlFiles) {
    for (Path file : yamlFiles) {
      try (InputStream in = Files.newInputStream(file)) {
        for (var item : client.load(in).items()) {
          if (!(item instanceof CustomResourceDefinition crd)) {
            continue;
          }
          crd.getMetadata().setResourceVersion(null);
          client.resource(crd).fieldManager("rampart-tests").forceConflicts().serverSideApply();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(
                  c ->
                      c != null
                          && c.getStatus() != null
                          && c.getStatus().getConditions() != null
                          && c.getStatus().getConditions().stream()
                              .anyMatch(
                                  cond ->
                                      "Established".equals(cond.getType())
                                          && "True".equals(cond.getStatus())),
                  60,
                  TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRDs from " + file, e);
      }
    }
  }

  /** Runs the toolchain's kubectl against this API server; returns stdout, throws on failure. */
  public String kubectl(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(toolchain.kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return Command.run(command, Duration.ofMinutes(1));
  }

  private ManagedProcess startControllerManager(Path kubeApiTestDir) {
    List<String> command =
        List.of(
            toolchain.kubeControllerManager().toString(),
            "--kubeconfig=" + kubeconfig,
            "--authentication-kubeconfig=" + kubeconfig,
            "--authorization-kubeconfig=" + kubeconfig,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            // the key kube-api-test gives the API server as --service-account-signing-key-file
            "--service-account-private-key-file=" + kubeApiTestDir.resolve("apiserver.key"),
            "--root-ca-file=" + kubeApiTestDir.resolve("apiserver.crt"),
            "--use-service-account-credentials=false",
            "--controllers=*",
            "--concurrent-gc-syncs=5",
            "--v=1");
    return ManagedProcess.start(
        "kube-controller-manager",
        command,
        Map.of(),
        workDir.resolve("kube-controller-manager.log"));
  }

  private ManagedProcess startScheduler() {
    List<String> command =
        List.of(
            toolchain.kubeScheduler().toString(),
            "--kubeconfig=" + kubeconfig,
            "--authentication-kubeconfig=" + kubeconfig,
            "--authorization-kubeconfig=" + kubeconfig,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            "--v=1");
    return ManagedProcess.start(
        "kube-scheduler", command, Map.of(), workDir.resolve("kube-scheduler.log"));
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    controllers.forEach(ManagedProcess::close);
    client.close();
    apiServer.stop();
  }

  public static final class Builder {
    private boolean controllerManager;
    private boolean scheduler;
    private final Map<String, String> apiServerFlags = new java.util.LinkedHashMap<>();
    private final List<Path> crds = new ArrayList<>();

    /**
     * Garbage collection, Deployments → ReplicaSets → Pods, namespace deletion, ServiceAccount
     * tokens.
     */
    public Builder withControllerManager() {
      this.controllerManager = true;
      return this;
    }

    /** Binds Pods to Nodes. */
    public Builder withScheduler() {
      this.scheduler = true;
      return this;
    }

    /** CRDs installed (Established) before any controller starts. */
    public Builder withCrds(List<Path> yamlFiles) {
      crds.addAll(yamlFiles);
      return this;
    }

    public Builder withApiServerFlag(String flag, String value) {
      apiServerFlags.put(flag, value);
      return this;
    }

    public LocalControlPlane start() {
      return new LocalControlPlane(this);
    }
  }
}
