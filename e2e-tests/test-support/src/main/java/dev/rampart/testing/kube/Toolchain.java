package dev.rampart.testing.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The Kubernetes binaries built by {@code e2e-tests/toolchain/build-toolchain.sh}: one Kubernetes
 * version, its etcd and helm, in a version-keyed cache. Missing binaries are an error that says
 * what to run, never a silent skip.
 */
public final class Toolchain {
  public static final String BUILD_COMMAND = "bash e2e-tests/toolchain/build-toolchain.sh";

  private final String kubernetesVersion;
  private final Path cache;

  private Toolchain(String kubernetesVersion, Path cache) {
    this.kubernetesVersion = kubernetesVersion;
    this.cache = cache;
  }

  /**
   * The toolchain of the Kubernetes version the build pins (system property
   * rampart.kubernetes.version).
   */
  public static Toolchain current() {
    String version =
        System.getProperty(
            "rampart.kubernetes.version",
            System.getenv().getOrDefault("RAMPART_K8S_VERSION", "1.34.4"));
    String configured = System.getenv("RAMPART_TOOLCHAIN_CACHE");
    Path cache =
        configured != null
            ? Paths.get(configured)
            : Paths.get(System.getProperty("user.home"), ".cache", "rampart");
    return new Toolchain(version, cache);
  }

  public String kubernetesVersion() {
    return kubernetesVersion;
  }

  public Path kubeApiServer() {
    return require(cache.resolve("k8s").resolve(kubernetesVersion).resolve("kube-apiserver"));
  }

  public Path kubeControllerManager() {
    return require(
        cache.resolve("k8s").resolve(kubernetesVersion).resolve("kube-controller-manager"));
  }

  public Path kubeScheduler() {
    return require(cache.resolve("k8s").resolve(kubernetesVersion).resolve("kube-scheduler"));
  }

  public Path kubectl() {
    return require(cache.resolve("k8s").resolve(kubernetesVersion).resolve("kubectl"));
  }

  /** helm, whichever version the build script made (one per cache). */
  public Path helm() {
    return latest("helm");
  }

  private Path latest(String tool) {
    Path dir = cache.resolve(tool);
    try (var versions = Files.list(dir)) {
      return require(
          versions.sorted().reduce((a, b) -> b).orElse(dir.resolve("none")).resolve(tool));
    } catch (java.io.IOException e) {
      return require(dir.resolve(tool));
    }
  }

  /**
   * grpcurl, whichever version the build script made: a real gRPC client for the services' tests.
   */
  public Path grpcurl() {
    return latest("grpcurl");
  }

  /** Where fabric8 kube-api-test looks for etcd, kube-apiserver and kubectl (offline mode). */
  public Path kubeApiTestDir() {
    Path dir = Paths.get(System.getProperty("user.home"), ".kubeapitest");
    require(
        dir.resolve("k8s").resolve(kubernetesVersion + "-linux-amd64").resolve("kube-apiserver"));
    require(dir.resolve("k8s").resolve(kubernetesVersion + "-linux-amd64").resolve("etcd"));
    return dir;
  }

  private Path require(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "Kubernetes toolchain binary missing: "
              + binary
              + ". Build the toolchain (Kubernetes "
              + kubernetesVersion
              + ", etcd, helm, grpcurl; from the Go module proxy) with: "
              + BUILD_COMMAND);
    }
    return binary;
  }
}
