package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The wall around the egress, enforced by a real CNI (kind's kindnet enforces NetworkPolicies since
 * kind v0.24): the carrier simulator runs outside the system, in a namespace of its own ({@link
 * KindCarrier}), and is the kind sample's {@code carrier} egress. Two probe pods carry the labels
 * of a Shipping pod and of a gateway pod, so the system's NetworkPolicies select them, but no
 * pod-template-hash (no ReplicaSet adopts them) and never turn Ready (no Service or peer list sends
 * them traffic). They dial with {@code agnhost connect}:
 *
 * <ul>
 *   <li>Shipping reaches the gateway's egress port, and never the carrier itself;
 *   <li>the gateway reaches the carrier; with that egress rule removed (reconciliation paused, the
 *       rule cut from its NetworkPolicy) it cannot, and the operator puts the rule back on resume;
 *   <li>with the egress removed from the spec, Shipping cannot reach the gateway's egress port and
 *       the gateway cannot reach the carrier.
 * </ul>
 *
 * The sample's egress is put back at the end, so the shop delivers again.
 *
 * <p>Local process pods cannot enforce NetworkPolicies; this runs only on kind (run-kind-e2e.sh).
 */
@Tag("kind")
@EnabledIfSystemProperty(named = "rampart.e2e.kind.kubeconfig", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KindEgressWallTest {
  static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52";
  static final int CARRIER_PORT = KindCarrier.PORT;
  static final String CARRIER = KindCarrier.NAME + "." + KindCarrier.NAMESPACE + ":" + CARRIER_PORT;
  static final String GATEWAY_EGRESS =
      Labels.resourceName(ShopCluster.SYSTEM, Labels.GATEWAY_SERVICE_NAME)
          + ":"
          + Ports.GATEWAY_EGRESS;
  static final String SHIPPING_PROBE = "egress-probe-shipping";
  static final String GATEWAY_PROBE = "egress-probe-gateway";
  static final String PAUSE = "rampart.dev/pause-reconciliation";

  private static KindShop shop;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    shop =
        KindShop.apply(
            KindShop.Settings.fromSystemProperties(), KubernetesJourneyScenario::progress);
    client = shop.client();
    // the carrier is the sample's egress already (KindShop.kindSample)
    shop.awaitCarrierReady();
    shop.awaitReady(600);
    probe(SHIPPING_PROBE, "shipping", Labels.COMPONENT_SERVICE);
    probe(GATEWAY_PROBE, Labels.GATEWAY_SERVICE_NAME, Labels.COMPONENT_GATEWAY);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.pods().inNamespace(ShopCluster.NAMESPACE).withName(SHIPPING_PROBE).delete();
      client.pods().inNamespace(ShopCluster.NAMESPACE).withName(GATEWAY_PROBE).delete();
      editSystem(s -> metadataAnnotations(s).remove(PAUSE));
      setEgress(sampleEgress());
    }
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @Order(1)
  void shippingReachesTheGatewaysEgressPortButNeverTheCarrierItself() {
    awaitReachable(SHIPPING_PROBE, GATEWAY_EGRESS, true);
    awaitReachable(GATEWAY_PROBE, CARRIER, true);
    // the carrier answers, so a failure can only be the wall
    assertThat(connects(SHIPPING_PROBE, CARRIER)).as("shipping -> carrier, direct").isFalse();
  }

  @Test
  @Order(2)
  void withoutItsEgressRuleTheGatewayCannotReachTheCarrierUntilTheOperatorRestoresIt() {
    editSystem(s -> metadataAnnotations(s).put(PAUSE, "true"));
    String policy = Labels.resourceName(ShopCluster.SYSTEM, Labels.GATEWAY_SERVICE_NAME);
    client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ShopCluster.NAMESPACE)
        .withName(policy)
        .edit(
            p -> {
              p.getSpec()
                  .getEgress()
                  .removeIf(
                      r ->
                          r.getPorts().stream()
                              .anyMatch(port -> port.getPort().getIntVal() == CARRIER_PORT));
              return p;
            });
    awaitReachable(GATEWAY_PROBE, CARRIER, false);
    editSystem(s -> metadataAnnotations(s).remove(PAUSE));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              NetworkPolicy restored =
                  client
                      .network()
                      .v1()
                      .networkPolicies()
                      .inNamespace(ShopCluster.NAMESPACE)
                      .withName(policy)
                      .get();
              assertThat(restored.getSpec().getEgress())
                  .anyMatch(
                      r ->
                          r.getPorts().stream()
                              .anyMatch(port -> port.getPort().getIntVal() == CARRIER_PORT));
            });
    awaitReachable(GATEWAY_PROBE, CARRIER, true);
  }

  @Test
  @Order(3)
  void withTheEgressRemovedShippingCannotGetOutAtAll() {
    setEgress(null);
    awaitReachable(SHIPPING_PROBE, GATEWAY_EGRESS, false);
    awaitReachable(GATEWAY_PROBE, CARRIER, false);
    assertThat(connects(SHIPPING_PROBE, CARRIER)).isFalse();
  }

  /** agnhost connect: exit 0 when the TCP connection is established within 3 s. */
  static boolean connects(String pod, String target) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try (ExecWatch exec =
        client
            .pods()
            .inNamespace(ShopCluster.NAMESPACE)
            .withName(pod)
            .writingOutput(out)
            .writingError(err)
            .exec("/agnhost", "connect", target, "--timeout=3s")) {
      int code = exec.exitCode().get(30, TimeUnit.SECONDS);
      KubernetesJourneyScenario.progress(
          pod + " -> " + target + ": exit " + code + " " + err.toString().trim());
      return code == 0;
    } catch (Exception e) {
      throw new IllegalStateException("exec in " + pod + " failed", e);
    }
  }

  private static void awaitReachable(String pod, String target, boolean reachable) {
    await()
        // the first dial waits for the gateway's rollout onto its egress port
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(connects(pod, target))
                    .as(pod + " -> " + target + (reachable ? " reachable" : " blocked"))
                    .isEqualTo(reachable));
  }

  /** The kind sample's egress, as {@link KindShop#kindSample} declares it. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sampleEgress() {
    Map<String, Object> spec =
        (Map<String, Object>)
            KindShop.kindSample(KindShop.Settings.fromSystemProperties())
                .getAdditionalProperties()
                .get("spec");
    return (List<Map<String, Object>>) ((Map<String, Object>) spec.get("gateway")).get("egress");
  }

  /**
   * A pod the wall treats as one of {@code component}'s (its labels), restricted like the system's,
   * never Ready (its readiness probe dials a closed port).
   */
  private static void probe(String name, String component, String kind) {
    Map<String, String> labels =
        new LinkedHashMap<>(Labels.forService(ShopCluster.SYSTEM, component, kind));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65534L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(
                new ContainerBuilder()
                    .withName("probe")
                    .withImage(AGNHOST)
                    .withArgs("pause")
                    .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .endCapabilities()
                    .endSecurityContext()
                    .withNewReadinessProbe()
                    .withNewTcpSocket()
                    .withPort(new IntOrString(1))
                    .endTcpSocket()
                    .endReadinessProbe()
                    .build())
            .endSpec()
            .build();
    client.pods().inNamespace(ShopCluster.NAMESPACE).resource(pod).serverSideApply();
    client
        .pods()
        .inNamespace(ShopCluster.NAMESPACE)
        .withName(name)
        .waitUntilCondition(
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
            5,
            TimeUnit.MINUTES);
  }

  @SuppressWarnings("unchecked")
  private static void setEgress(List<Map<String, Object>> egress) {
    editSystem(
        s -> {
          Map<String, Object> spec = (Map<String, Object>) s.getAdditionalProperties().get("spec");
          Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
          if (egress == null) {
            gateway.remove("egress");
          } else {
            gateway.put("egress", new ArrayList<>(egress));
          }
        });
  }

  private static Map<String, String> metadataAnnotations(GenericKubernetesResource system) {
    if (system.getMetadata().getAnnotations() == null) {
      system.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    return system.getMetadata().getAnnotations();
  }

  private static void editSystem(java.util.function.Consumer<GenericKubernetesResource> change) {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              client
                  .genericKubernetesResources(ShopCluster.SYSTEMS)
                  .inNamespace(ShopCluster.NAMESPACE)
                  .withName(ShopCluster.SYSTEM)
                  .edit(
                      s -> {
                        change.accept(s);
                        return s;
                      });
              return true;
            });
  }
}
