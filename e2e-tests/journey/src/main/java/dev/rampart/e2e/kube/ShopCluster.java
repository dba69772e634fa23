package dev.rampart.e2e.kube;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.testing.kafka.KafkaBroker;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes cluster running the operator and the shop, as the journey scenario sees it: the same
 * scenario runs on the local control plane with process pods ({@link LocalKubernetesShop}) and on
 * kind ({@link KindShop}).
 */
public interface ShopCluster extends AutoCloseable {
  String NAMESPACE = "shop";

  /**
   * The shop's namespace enforces the restricted Pod Security Standard: every pod the operator
   * creates must be admitted under it.
   */
  java.util.Map<String, String> RESTRICTED_POD_SECURITY =
      java.util.Map.of(
          "pod-security.kubernetes.io/enforce", "restricted",
          "pod-security.kubernetes.io/enforce-version", "latest");

  String SYSTEM = "shop";
  ResourceDefinitionContext SYSTEMS =
      new ResourceDefinitionContext.Builder()
          .withGroup("rampart.dev")
          .withVersion("v1alpha1")
          .withKind("MicroserviceSystem")
          .withPlural("microservicesystems")
          .withNamespaced(true)
          .build();
  ResourceDefinitionContext KAFKA_TOPICS =
      new ResourceDefinitionContext.Builder()
          .withGroup("kafka.strimzi.io")
          .withVersion("v1beta2")
          .withKind("KafkaTopic")
          .withPlural("kafkatopics")
          .withNamespaced(true)
          .build();

  KubernetesClient client();

  String kubectl(String... args);

  /**
   * The issuer whose tokens the shop's gateway accepts (its JWKS is in the Secret the system
   * names).
   */
  LocalJwtIssuer jwt();

  /** The gateway as an outside client reaches it from this machine. */
  URI gatewayUrl();

  /** A client of the gateway at {@link #gatewayUrl()}, as an outside client talks to it. */
  default GatewayClient gatewayClient() {
    return new GatewayClient(gatewayUrl());
  }

  /**
   * The Kafka broker the shop uses, when the harness runs it (locally; on kind Strimzi runs its
   * own).
   */
  default Optional<KafkaBroker> localBroker() {
    return Optional.empty();
  }

  /**
   * The booking of {@code shipmentId} as the carrier simulator holds it (its {@code GET
   * /v1/bookings/{id}} body); fails when it holds none.
   */
  String carrierBooking(String shipmentId);

  /** Pod logs and the system's status, for failure messages. */
  String diagnostics();

  default void awaitReady(int timeoutSeconds) {
    kubectl(
        "wait",
        "--for=condition=Ready",
        "msys/" + SYSTEM,
        "-n",
        NAMESPACE,
        "--timeout=" + timeoutSeconds + "s");
  }

  default GenericKubernetesResource system() {
    return client()
        .genericKubernetesResources(SYSTEMS)
        .inNamespace(NAMESPACE)
        .withName(SYSTEM)
        .get();
  }

  /** Every pod of one service of the shop, terminating ones included. */
  default List<Pod> pods(String service) {
    return client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel(dev.rampart.contract.Labels.SYSTEM, SYSTEM)
        .withLabel(dev.rampart.contract.Labels.SERVICE, service)
        .list()
        .getItems();
  }

  /** Ready, not terminating pods of one service of the shop. */
  default List<Pod> readyPods(String service) {
    return pods(service).stream()
        .filter(
            p ->
                p.getMetadata().getDeletionTimestamp() == null
                    && p.getStatus() != null
                    && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .toList();
  }

  @Override
  void close();
}
