package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.List;

/**
 * The HorizontalPodAutoscaler of each autoscaled service. Scale-down goes one pod per period, after
 * a stabilization window: an Akka cluster loses one member at a time and hands its shards over
 * before the next one leaves.
 */
public final class ServiceAutoscalers {
  /** At most this many pods leave per {@link #SCALE_DOWN_PERIOD_SECONDS}. */
  public static final int SCALE_DOWN_PODS = 1;

  public static final int SCALE_DOWN_PERIOD_SECONDS = 60;

  /** The HPA scales down to the highest recommendation of this window (its own default). */
  public static final int SCALE_DOWN_STABILIZATION_SECONDS = 300;

  private ServiceAutoscalers() {}

  public static List<HorizontalPodAutoscaler> of(MicroserviceSystem system) {
    return system.getSpec().services().stream()
        .filter(ServiceSpec::autoscaled)
        .map(s -> of(system, s))
        .toList();
  }

  public static HorizontalPodAutoscaler of(MicroserviceSystem system, ServiceSpec service) {
    var autoscaling = service.autoscaling;
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(ChildMetadata.forComponent(system, service.name, Labels.COMPONENT_SERVICE))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(Labels.resourceName(system.name(), service.name))
        .endScaleTargetRef()
        .withMinReplicas(autoscaling.minReplicasOrDefault())
        .withMaxReplicas(autoscaling.maxReplicas)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(autoscaling.targetCpuOrDefault())
        .endTarget()
        .endResource()
        .endMetric()
        .withNewBehavior()
        .withNewScaleDown()
        .withStabilizationWindowSeconds(SCALE_DOWN_STABILIZATION_SECONDS)
        .withSelectPolicy("Min")
        .addNewPolicy()
        .withType("Pods")
        .withValue(SCALE_DOWN_PODS)
        .withPeriodSeconds(SCALE_DOWN_PERIOD_SECONDS)
        .endPolicy()
        .endScaleDown()
        .endBehavior()
        .endSpec()
        .build();
  }
}
