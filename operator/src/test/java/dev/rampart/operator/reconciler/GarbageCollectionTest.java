package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With kube-controller-manager running: Deployments get ReplicaSets and Pods (never scheduled, so
 * never ready, which the status must say), and deleting the system garbage-collects every child
 * through its ownerReference.
 */
class GarbageCollectionTest {
  private static LocalControlPlane plane;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    plane = OperatorControlPlane.start(true, true);
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

  @Test
  void realDeploymentStatusAndDeletionByOwnerReferences() {
    var client = plane.client();
    String ns = SampleSystem.apply(client, "gc");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);

    // the deployment controller reports 0 ready pods (no scheduler, no kubelet): the status says so
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(status).isNotNull();
              assertThat(status.conditions)
                  .filteredOn(c -> c.getType().equals("ServicesReady"))
                  .singleElement()
                  .satisfies(c -> assertThat(c.getMessage()).contains("order: 0/2 pods available"));
              assertThat(
                      client
                          .pods()
                          .inNamespace(ns)
                          .withLabel("rampart.dev/service", "order")
                          .list()
                          .getItems())
                  .hasSize(2);
            });

    client.resources(MicroserviceSystem.class).inNamespace(ns).withName("shop").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              SampleSystem.expectedChildren(HTTPRoute.class)
                  .forEach(
                      (kind, names) ->
                          names.forEach(
                              name ->
                                  assertThat(
                                          client
                                              .resources(kind)
                                              .inNamespace(ns)
                                              .withName(name)
                                              .get())
                                      .as("%s %s", kind.getSimpleName(), name)
                                      .isNull()));
              assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
            });
  }
}
