package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ServiceAutoscalers;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/** A HorizontalPodAutoscaler per service with {@code autoscaling}. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class HorizontalPodAutoscalerDependent extends SystemChildren<HorizontalPodAutoscaler> {
  public HorizontalPodAutoscalerDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected List<HorizontalPodAutoscaler> desired(
      MicroserviceSystem system, ReferencedConfig config) {
    return ServiceAutoscalers.of(system);
  }
}
