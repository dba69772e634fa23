package dev.rampart.e2e;

import dev.rampart.testing.kube.LocalControlPlane;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main job: Rampart's local system, end to end, with no Docker. Starts a real control plane
 * (kube-apiserver, etcd, kube-controller-manager, kube-scheduler) and shows what it serves.
 */
public final class LocalSystem {
  private LocalSystem() {}

  public static void main(String[] args) throws InterruptedException {
    boolean keepRunning = Arrays.asList(args).contains("--keep-running");
    long started = System.nanoTime();
    step("starting the local control plane (kube-apiserver, etcd, kube-controller-manager, kube-scheduler)");
    try (LocalControlPlane controlPlane = LocalControlPlane.builder().withControllerManager().withScheduler().start()) {
      step("API server " + controlPlane.apiServerUrl() + ", kubeconfig " + controlPlane.kubeconfig()
          + " (up in " + (System.nanoTime() - started) / 1_000_000 + " ms)");
      step("kubectl get --raw /version");
      System.out.println(controlPlane.kubectl("get", "--raw", "/version"));
      step("kubectl get nodes,ns");
      System.out.println(controlPlane.kubectl("get", "nodes,ns"));
      if (keepRunning) {
        step("running; use: kubectl --kubeconfig " + controlPlane.kubeconfig() + " ...   (Ctrl-C stops)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
      step("stopping");
    }
  }

  private static void step(String message) {
    System.out.println("==> " + message);
  }
}
