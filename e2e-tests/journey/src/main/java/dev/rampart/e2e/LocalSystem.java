package dev.rampart.e2e;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.ShopJourney;
import dev.rampart.e2e.kube.LocalKubernetesShop;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main job: Rampart's local system end to end, with no Docker. A real control plane
 * (kube-apiserver, etcd, kube-controller-manager, kube-scheduler); `helm install` of the operator
 * chart; the operator and the shop's pods run by the process-pod runner; `kubectl apply` of the
 * sample system; then the user journey through the gateway. Prints every step, the `kubectl get
 * msys` table and the orders' results.
 */
public final class LocalSystem {
  private LocalSystem() {}

  public static void main(String[] args) throws InterruptedException {
    boolean keepRunning = Arrays.asList(args).contains("--keep-running");
    long started = System.nanoTime();
    try (LocalKubernetesShop shop = LocalKubernetesShop.start(LocalSystem::step)) {
      step("kubectl get --raw /version\n" + shop.kubectl("get", "--raw", "/version"));
      step("kubectl get nodes\n" + shop.kubectl("get", "nodes"));
      step("waiting for the shop: kubectl wait --for=condition=Ready msys/shop");
      try {
        shop.awaitReady(600);
      } catch (RuntimeException e) {
        step("the shop did not become Ready:\n" + shop.diagnostics());
        throw e;
      }
      step(
          "kubectl get msys,deploy,pods -n shop\n"
              + shop.kubectl("get", "msys,deploy,pods", "-n", "shop", "-o", "wide"));
      ShopJourney.Result result =
          new ShopJourney(new GatewayClient(shop.gatewayUrl()), shop.jwt(), LocalSystem::step)
              .run("alice", 3, Duration.ofSeconds(120));
      step(
          "journey complete: orders "
              + result.orderIds()
              + " placed through the gateway, all in alice's history; "
              + "shipment notice for "
              + result.shipmentNotice().path("shipmentNotice").path("orderId").asText()
              + " received over the WebSocket");
      step("kubectl get msys -n shop\n" + shop.kubectl("get", "msys", "-n", "shop"));
      if (keepRunning) {
        step(
            "running; gateway "
                + shop.gatewayUrl()
                + ", kubeconfig "
                + shop.controlPlane().kubeconfig()
                + " (Ctrl-C stops)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
      step("stopping (total " + (System.nanoTime() - started) / 1_000_000_000 + " s)");
    }
  }

  private static void step(String message) {
    System.out.println("==> " + message);
  }
}
