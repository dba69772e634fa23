package dev.rampart.e2e;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.local.LocalServices;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the whole system on this machine without Kubernetes (Kafka, PostgreSQL, Order/User/Shipping
 * clusters, the gateway) and prints how to call it. Ctrl-C stops everything.
 */
public final class LocalServicesMain {
  private LocalServicesMain() {}

  public static void main(String[] args) throws InterruptedException {
    int nodes =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--nodes="))
            .map(a -> Integer.parseInt(a.substring(8)))
            .findFirst()
            .orElse(2);
    try (LocalServices local =
        LocalServices.start(nodes, message -> System.out.println("==> " + message))) {
      String token = local.jwt().tokenFor("alice");
      GatewayClient.Reply health =
          new GatewayClient(local.gatewayUrl()).send("GET", "/readyz", null, null);
      System.out.println("==> gateway " + local.gatewayUrl() + " /readyz: " + health.status());
      System.out.println("==> logs in " + local.workDir());
      System.out.println(
          "==> the web app: open "
              + local.gatewayUrl()
              + "/ in a browser (sign-in: any user id, tokens from "
              + local.devTokenUrl()
              + ")");
      System.out.println("==> try it (a token for user 'alice', valid 1 h):");
      System.out.println("    TOKEN=" + token);
      System.out.println(
          "    curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
              + local.gatewayUrl()
              + "/api/users -d"
              + " '{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"address\":{\"street\":\"1"
              + " Main"
              + " St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"US\"}}'");
      System.out.println(
          "    curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
              + local.gatewayUrl()
              + "/api/orders -d"
              + " '{\"orderId\":\"o-1\",\"lines\":[{\"sku\":\"book\",\"quantity\":2,\"unitPriceCents\":1500}]}'");
      System.out.println(
          "    curl -s -H \"Authorization: Bearer $TOKEN\" "
              + local.gatewayUrl()
              + "/api/users/alice");
      System.out.println(
          "    curl -s -H \"Authorization: Bearer $TOKEN\" "
              + local.gatewayUrl()
              + "/api/orders/<id from the answer>   # CONFIRMED, SHIPPED on pickup, DELIVERED");
      System.out.println(
          "    curl -s "
              + local.carrierUrl()
              + "/v1/bookings/<order id>/events   # the parcel's webhooks through the gateway");
      System.out.println("==> running; Ctrl-C stops everything");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
  }
}
