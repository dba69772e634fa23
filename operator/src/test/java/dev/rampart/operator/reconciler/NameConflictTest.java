package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.status.NameConflictStatus;
import dev.rampart.operator.testing.Namespaces;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * System a with service b-c and system a-b with service c both name their children a-b-c. The first
 * keeps them; the second applies nothing and says why, instead of fighting over them.
 */
class NameConflictTest {
  private static KubernetesClient client;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    var plane = OperatorControlPlane.shared();
    client = plane.client();
    operator = RunningOperator.start(plane);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aSystemWhoseChildNamesAnotherSystemOwnsAppliesNothingAndSaysWhy() throws Exception {
    String ns = Namespaces.create(client, "conflict");
    client.resource(system("a", "b-c")).inNamespace(ns).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get(ns, "a").getStatus()).isNotNull();
              assertThat(deployment(ns, "a-b-c")).isNotNull();
            });
    String ownerUid = get(ns, "a").getMetadata().getUid();

    client.resource(system("a-b", "c")).inNamespace(ns).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = get(ns, "a-b").getStatus();
              assertThat(status).isNotNull();
              assertThat(status.condition("Ready"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo(NameConflictStatus.REASON);
                        assertThat(c.getMessage())
                            .contains("Deployment a-b-c is owned by MicroserviceSystem a")
                            .contains("Service a-b-c is owned by MicroserviceSystem a");
                      });
            });
    // nothing of a-b was applied, not even what does not collide, and a-b-c is still a's alone
    assertThat(client.network().networkPolicies().inNamespace(ns).withName("a-b-deny-all").get())
        .isNull();
    assertThat(deployment(ns, "a-b-c").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(ownerUid));
  }

  private static MicroserviceSystem system(String name, String service) throws Exception {
    return new YAMLMapper()
        .readValue(
            """
            apiVersion: rampart.dev/v1alpha1
            kind: MicroserviceSystem
            metadata: {name: %s}
            spec:
              services: [{name: %s, image: "img:1", replicas: 1}]
            """
                .formatted(name, service),
            MicroserviceSystem.class);
  }

  private static MicroserviceSystem get(String ns, String name) {
    return client.resources(MicroserviceSystem.class).inNamespace(ns).withName(name).get();
  }

  private static Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }
}
