package dev.rampart.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the local control plane is real: kube-apiserver + etcd serve and persist objects and
 * enforce RBAC; kube-controller-manager turns a Deployment into a ReplicaSet and a Pod and
 * garbage-collects; the scheduler looks at the Pod (it stays Pending: there is no Node).
 */
class ControlPlaneSmokeTest {
  private static LocalControlPlane controlPlane;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    controlPlane = LocalControlPlane.builder().withControllerManager().withScheduler().start();
    client = controlPlane.client();
  }

  @AfterAll
  static void stop() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void reportsTheVersionItWasBuiltAs() {
    assertThat(client.getKubernetesVersion().getGitVersion())
        .isEqualTo("v" + controlPlane.toolchain().kubernetesVersion());
    assertThat(controlPlane.kubectl("version", "--client", "-o", "json"))
        .contains("\"gitVersion\": \"v" + controlPlane.toolchain().kubernetesVersion() + "\"");
  }

  @Test
  void storesACustomResourceOfANewCrd() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("widgets.smoke.rampart.dev")
                .endMetadata()
                .withNewSpec()
                .withGroup("smoke.rampart.dev")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Widget")
                .withPlural("widgets")
                .withSingular("widget")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .addToProperties(
                    "spec",
                    new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties(
                            "size",
                            new io.fabric8.kubernetes.api.model.apiextensions.v1
                                    .JSONSchemaPropsBuilder()
                                .withType("integer")
                                .withMinimum(1.0)
                                .build())
                        .build())
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build())
        .create();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("widgets.smoke.rampart.dev")
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            30,
            java.util.concurrent.TimeUnit.SECONDS);

    ResourceDefinitionContext widgets =
        new ResourceDefinitionContext.Builder()
            .withGroup("smoke.rampart.dev")
            .withVersion("v1")
            .withPlural("widgets")
            .withKind("Widget")
            .withNamespaced(true)
            .build();
    GenericKubernetesResource widget =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("smoke.rampart.dev/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName("w1")
            .withNamespace("default")
            .endMetadata()
            .withAdditionalProperties(Map.of("spec", Map.of("size", 3)))
            .build();
    client.genericKubernetesResources(widgets).inNamespace("default").resource(widget).create();

    GenericKubernetesResource read =
        client.genericKubernetesResources(widgets).inNamespace("default").withName("w1").get();
    assertThat(read.<Integer>get("spec", "size")).isEqualTo(3);
    assertThat(read.getMetadata().getUid()).isNotBlank();

    // the schema is enforced by the real API server
    GenericKubernetesResource invalid =
        new GenericKubernetesResourceBuilder(widget)
            .editMetadata()
            .withName("w2")
            .endMetadata()
            .withAdditionalProperties(Map.of("spec", Map.of("size", 0)))
            .build();
    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources(widgets)
                    .inNamespace("default")
                    .resource(invalid)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.size: Invalid value: 0");
  }

  @Test
  void deniesAnUnprivilegedServiceAccount() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("rbac-smoke").endMetadata().build())
        .create();
    client
        .serviceAccounts()
        .inNamespace("rbac-smoke")
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("nobody").endMetadata().build())
        .create();
    String token =
        client
            .serviceAccounts()
            .inNamespace("rbac-smoke")
            .withName("nobody")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();

    Config asNobody =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(controlPlane.apiServerUrl())
            .withCaCertFile(controlPlane.caCertificate().toString())
            .withOauthToken(token)
            .build();
    try (KubernetesClient nobody = new KubernetesClientBuilder().withConfig(asNobody).build()) {
      assertThatThrownBy(() -> nobody.secrets().inNamespace("rbac-smoke").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("system:serviceaccount:rbac-smoke:nobody");
    }
  }

  @Test
  void turnsADeploymentIntoAPodAndCollectsItsGarbage() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("smoke")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "smoke")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "smoke")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("example.invalid/smoke:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .apps()
                          .replicaSets()
                          .inNamespace("default")
                          .withLabel("app", "smoke")
                          .list()
                          .getItems())
                  .hasSize(1);
              Pod pod =
                  client
                      .pods()
                      .inNamespace("default")
                      .withLabel("app", "smoke")
                      .list()
                      .getItems()
                      .stream()
                      .findFirst()
                      .orElseThrow();
              assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
              // the scheduler saw it and found no node: that is expected without a kubelet
              assertThat(pod.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("PodScheduled");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("Unschedulable");
                      });
            });

    client.apps().deployments().inNamespace("default").withName("smoke").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .apps()
                          .replicaSets()
                          .inNamespace("default")
                          .withLabel("app", "smoke")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      client
                          .pods()
                          .inNamespace("default")
                          .withLabel("app", "smoke")
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }
}
