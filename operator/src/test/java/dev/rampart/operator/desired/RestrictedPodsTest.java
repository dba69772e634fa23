package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pod template the operator writes meets the restricted Pod Security Standard. */
class RestrictedPodsTest {
  private final dev.rampart.operator.api.v1alpha1.MicroserviceSystem shop = Samples.shop("ns");

  @Test
  void servicesAndTheGatewayRunRestricted() {
    List<PodSpec> pods =
        List.of(
            ServiceDeployment.of(shop, shop.getSpec().service("order").orElseThrow(), "h")
                .getSpec()
                .getTemplate()
                .getSpec(),
            GatewayDeployment.of(shop, shop.getSpec().gatewaySpec().orElseThrow(), "h")
                .getSpec()
                .getTemplate()
                .getSpec());
    for (PodSpec pod : pods) {
      var podContext = pod.getSecurityContext();
      assertThat(podContext.getRunAsNonRoot()).isTrue();
      assertThat(podContext.getRunAsUser()).isEqualTo(65532L);
      assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      var container = pod.getContainers().get(0);
      var context = container.getSecurityContext();
      assertThat(context.getAllowPrivilegeEscalation()).isFalse();
      assertThat(context.getPrivileged()).isFalse();
      assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(context.getReadOnlyRootFilesystem()).isTrue();
      // read-only root, so the JVM's /tmp is an emptyDir
      assertThat(container.getVolumeMounts())
          .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
      String tmp =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals("/tmp"))
              .findFirst()
              .orElseThrow()
              .getName();
      assertThat(pod.getVolumes())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo(tmp);
                assertThat(v.getEmptyDir()).isNotNull();
              });
    }
  }
}
