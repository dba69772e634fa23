package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.dependent.GatewayApiInstalled;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster without the Gateway API CRDs: the gateway is exposed through an Ingress instead of an
 * HTTPRoute; and when the CRDs arrive or leave, the route switches kind, the other one deleted.
 */
class GatewayApiAbsentTest {
  private static LocalControlPlane plane;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    plane = OperatorControlPlane.start(false, false);
    operator = RunningOperator.start(plane);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  /** Far below the 30 s status poll: only the watch on the HTTPRoute CRD can be this fast. */
  static final Duration SWITCH = Duration.ofSeconds(10);

  @Test
  void switchesTheRouteWhenTheGatewayApiArrivesAndLeaves() {
    var client = plane.client();
    String ns = SampleSystem.apply(client, "gateway-api-switch");
    SampleSystem.awaitChildren(client, ns, Ingress.class);
    var crds = RepoPaths.gatewayApiCrds();
    try {
      OperatorControlPlane.installCrds(client, crds);
      long installed = System.nanoTime();
      await()
          .atMost(SWITCH)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(ingress(client, ns)).as("the Ingress, once HTTPRoutes exist").isNull();
                assertThat(httpRoute(client, ns)).as("the HTTPRoute").isNotNull();
                assertThat(SampleSystem.get(client, ns).getStatus().gateway.routeKind)
                    .isEqualTo("HTTPRoute");
              });
      System.out.printf(
          "Gateway API CRDs established -> Ingress gone, HTTPRoute made in %d ms%n",
          (System.nanoTime() - installed) / 1_000_000);
    } finally {
      OperatorControlPlane.deleteCrds(client, crds);
    }
    long deleted = System.nanoTime();
    await()
        .atMost(SWITCH)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(ingress(client, ns)).as("the Ingress, back").isNotNull();
              assertThat(SampleSystem.get(client, ns).getStatus().gateway.routeKind)
                  .isEqualTo("Ingress");
            });
    System.out.printf(
        "Gateway API CRDs deleted -> Ingress back in %d ms%n",
        (System.nanoTime() - deleted) / 1_000_000);
    // gone for the other tests of this class
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(GatewayApiInstalled.HTTP_ROUTE_CRD)
                        .get()
                    == null);
  }

  private static Ingress ingress(KubernetesClient client, String ns) {
    return client.network().v1().ingresses().inNamespace(ns).withName("shop-gateway").get();
  }

  private static HTTPRoute httpRoute(KubernetesClient client, String ns) {
    return client.resources(HTTPRoute.class).inNamespace(ns).withName("shop-gateway").get();
  }

  @Test
  void fallsBackToAnIngress() {
    var client = plane.client();
    String ns = SampleSystem.apply(client, "no-gateway-api");
    SampleSystem.awaitChildren(client, ns, Ingress.class);
    Ingress ingress =
        client.network().v1().ingresses().inNamespace(ns).withName("shop-gateway").get();
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getHost()).isEqualTo("shop.example.com");
              assertThat(rule.getHttp().getPaths())
                  .extracting(
                      p ->
                          p.getPath()
                              + " "
                              + p.getPathType()
                              + " -> "
                              + p.getBackend().getService().getName()
                              + ":"
                              + p.getBackend().getService().getPort().getNumber())
                  .containsExactly(
                      "/api/orders Prefix -> shop-gateway:80",
                      "/api/users Prefix -> shop-gateway:80",
                      "/openapi.json Exact -> shop-gateway:80",
                      "/ Exact -> shop-gateway:80",
                      "/app Prefix -> shop-gateway:80");
            });
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getSecretName()).isEqualTo("shop-tls");
              assertThat(tls.getHosts()).containsExactly("shop.example.com");
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(status).isNotNull();
              assertThat(status.gateway.routeKind).isEqualTo("Ingress");
              assertThat(status.gateway.url).isEqualTo("https://shop.example.com");
            });
  }
}
