package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds and target of the HorizontalPodAutoscaler that owns a service's replica count. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "spec.services[].autoscaling: minReplicas must not be greater than maxReplicas")
public class AutoscalingSpec {
  public static final int DEFAULT_MIN_REPLICAS = 2;
  public static final int DEFAULT_TARGET_CPU = 70;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Fewest pods the autoscaler keeps, at least 1, at most maxReplicas. Default 2.")
  public Integer minReplicas;

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most pods the autoscaler may run, 1-100.")
  public Integer maxReplicas;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Average CPU use, in percent of the container's CPU request, the autoscaler aims for."
          + " Default 70. Needs resources.requests.cpu.")
  public Integer targetCPUUtilizationPercentage;

  public AutoscalingSpec() {}

  public AutoscalingSpec(Integer minReplicas, int maxReplicas, Integer targetCpu) {
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.targetCPUUtilizationPercentage = targetCpu;
  }

  public int minReplicasOrDefault() {
    return minReplicas == null ? Math.min(DEFAULT_MIN_REPLICAS, maxReplicas) : minReplicas;
  }

  public int targetCpuOrDefault() {
    return targetCPUUtilizationPercentage == null
        ? DEFAULT_TARGET_CPU
        : targetCPUUtilizationPercentage;
  }
}
