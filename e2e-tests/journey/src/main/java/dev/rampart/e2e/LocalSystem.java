package dev.rampart.e2e;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import dev.rampart.e2e.local.LocalServices;
import dev.rampart.testing.kube.LocalControlPlane;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main job: Rampart's local system, end to end, with no Docker. Starts a real control plane
 * (kube-apiserver, etcd, kube-controller-manager, kube-scheduler) and shows what it serves; then runs the
 * shop — Kafka, PostgreSQL, Order/User/Shipping as multi-node Akka clusters and the gateway — and walks the
 * user journey through the gateway, printing every step and its result.
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

      step("starting the shop: Kafka, PostgreSQL, Order/User/Shipping (2 Akka nodes each), gateway");
      try (LocalServices shop = LocalServices.start(2, LocalSystem::step)) {
        ShopJourney journey = new ShopJourney(new GatewayClient(shop.gatewayUrl()), shop.jwt(), LocalSystem::step);
        ShopJourney.Result result = journey.run("alice", 3, Duration.ofSeconds(120));
        step("journey complete: " + result.orderIds().size() + " orders placed, all in alice's history; shipment notice for "
            + result.shipmentNotice().path("shipmentNotice").path("orderId").asText() + " received over the WebSocket");
        if (keepRunning) {
          step("running; gateway " + shop.gatewayUrl() + ", kubeconfig " + controlPlane.kubeconfig() + "; logs in "
              + shop.workDir() + " (Ctrl-C stops)");
          CountDownLatch stop = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
          stop.await();
        }
      }
      step("stopping (total " + (System.nanoTime() - started) / 1_000_000_000 + " s)");
    }
  }

  private static void step(String message) {
    System.out.println("==> " + message);
  }
}
