package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wall's way to the API server follows {@code default/kubernetes}'s EndpointSlice on a real API
 * server. Its own endpoint reconciler is off here, so the slice is the test's to write, as a
 * control-plane replacement would rewrite it.
 */
class ApiServerEgressTest {
  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    plane =
        LocalControlPlane.builder()
            .withCrds(OperatorControlPlane.crds(true))
            .withApiServerFlag("--endpoint-reconciler-type", "none")
            .start();
    client = plane.client();
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
  void everyPolicyReachesTheApiServerWhereItsEndpointSliceSaysAndFollowsItsChanges() {
    client.resource(slice("10.11.12.13", 6443)).serverSideApply();
    String ns = SampleSystem.apply(client, "api-egress");
    awaitApiServerRule(ns, List.of("10.11.12.13/32"), List.of(6443));

    // a control plane moved: the walls follow without any change to the system
    client.resource(slice("10.11.12.14", 7443)).serverSideApply();
    awaitApiServerRule(ns, List.of("10.11.12.14/32"), List.of(7443));

    // no slice at all: only the API server ports stay open, to any address
    client.resource(slice("10.11.12.14", 7443)).delete();
    awaitApiServerRule(ns, List.of(), List.of(443, 6443));
  }

  /** In every component's policy, exactly one rule on the API server's ports, to these peers. */
  private static void awaitApiServerRule(String ns, List<String> cidrs, List<Integer> ports) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (String component : SampleSystem.COMPONENTS) {
                var policy =
                    client
                        .network()
                        .networkPolicies()
                        .inNamespace(ns)
                        .withName("shop-" + component)
                        .get();
                assertThat(policy).as(component).isNotNull();
                List<NetworkPolicyEgressRule> rules =
                    policy.getSpec().getEgress().stream()
                        .filter(
                            r ->
                                r.getPorts().stream()
                                    .anyMatch(p -> ports.contains(p.getPort().getIntVal())))
                        .toList();
                assertThat(rules).as(component).hasSize(1);
                assertThat(rules.get(0).getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactlyElementsOf(ports);
                assertThat(rules.get(0).getTo())
                    .as(component)
                    .extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
                    .containsExactlyElementsOf(cidrs);
              }
            });
  }

  private static EndpointSlice slice(String address, int port) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("kubernetes")
        .withNamespace("default")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses(address)
        .endEndpoint()
        .addNewPort()
        .withName("https")
        .withPort(port)
        .withProtocol("TCP")
        .endPort()
        .build();
  }
}
