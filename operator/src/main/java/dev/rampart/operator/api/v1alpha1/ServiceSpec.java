package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** One Akka microservice: N pods forming one Akka cluster, serving gRPC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.calls) || !(self.name in self.calls)",
    messageExpression = "'spec.services[].calls: service ' + self.name + ' cannot call itself'")
@ValidationRule(
    value = "!(has(self.replicas) && has(self.autoscaling))",
    message =
        "spec.services[]: set either replicas or autoscaling, not both (with autoscaling the"
            + " HorizontalPodAutoscaler owns the replica count)")
@ValidationRule(
    value = "self.name != 'gateway'",
    message = "spec.services[].name: 'gateway' is reserved for the system's gateway")
@ValidationRule(
    value = "self.name != 'deny-all'",
    message =
        "spec.services[].name: 'deny-all' is reserved: <system>-deny-all is the system's"
            + " default-deny NetworkPolicy")
public class ServiceSpec {
  /** DNS-1035 label: the name ends up in Service names. */
  public static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  @Required
  @Size(min = 1, max = 30)
  @Pattern(DNS_1035)
  @JsonPropertyDescription(
      "Name of the service, unique in the system (DNS-1035 label, at most 30 characters). Child"
          + " objects are named <system>-<name>; it is also the name other services use in"
          + " 'calls'.")
  public String name;

  @Required
  @Size(min = 1, max = 512)
  @Pattern("^\\S+$")
  @JsonPropertyDescription(
      "Container image of the service, e.g. ghcr.io/rampart/order-service:0.1.0.")
  public String image;

  @Pattern("^(Always|IfNotPresent|Never)$")
  @JsonPropertyDescription(
      "Image pull policy: Always, IfNotPresent or Never. Absent: the Kubernetes default.")
  public String imagePullPolicy;

  // No schema default: a defaulted replicas would make every autoscaling service invalid.
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Number of pods, at least 1; default 3 (without autoscaling). Changing it changes only the"
          + " Deployment's replicas, never the pod template: no pod restarts. Not together with"
          + " autoscaling.")
  public Integer replicas;

  @JsonPropertyDescription(
      "Let a HorizontalPodAutoscaler (autoscaling/v2, CPU) own the replica count between"
          + " minReplicas and maxReplicas; it scales down one pod per minute. Not together with"
          + " replicas.")
  public AutoscalingSpec autoscaling;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Kafka topics this service publishes to; each must be declared in spec.kafka.topics. "
          + "Passed to the pods as RAMPART_KAFKA_PRODUCES.")
  public List<@Size(max = 100) String> produces;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Kafka topics this service consumes; each must be declared in spec.kafka.topics. "
          + "Passed to the pods as RAMPART_KAFKA_CONSUMES.")
  public List<@Size(max = 100) String> consumes;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Services of this system this one calls over gRPC. Each must be declared in spec.services and"
          + " cannot be this service. Opens the NetworkPolicy from this service to the callee's"
          + " gRPC port and tells the pods where to find the callee (RAMPART_PEERS).")
  public List<@Size(max = 30) String> calls;

  @JsonPropertyDescription("CPU and memory requests and limits of the service container.")
  public ResourceRequirements resources;

  @Size(max = 64)
  @ValidationRule(
      value =
          "self.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef) ||"
              + " (has(e.valueFrom.secretKeyRef.name) && size(e.valueFrom.secretKeyRef.name) > 0"
              + " && has(e.valueFrom.secretKeyRef.key) && size(e.valueFrom.secretKeyRef.key) > 0))",
      message = "spec.services[].env[].valueFrom.secretKeyRef needs a name and a key")
  @ValidationRule(
      value =
          "self.all(e, !has(e.valueFrom) || !has(e.valueFrom.configMapKeyRef) ||"
              + " (has(e.valueFrom.configMapKeyRef.name) &&"
              + " size(e.valueFrom.configMapKeyRef.name) > 0 &&"
              + " has(e.valueFrom.configMapKeyRef.key) && size(e.valueFrom.configMapKeyRef.key) >"
              + " 0))",
      message = "spec.services[].env[].valueFrom.configMapKeyRef needs a name and a key")
  @ValidationRule(
      value =
          "self.all(e, !e.name.startsWith('RAMPART_') && !(e.name in ['POD_IP', 'POD_NAME',"
              + " 'POD_NAMESPACE']))",
      message =
          "spec.services[].env: names starting with RAMPART_ and POD_IP, POD_NAME, POD_NAMESPACE"
              + " are set by the operator")
  @JsonPropertyDescription(
      "Extra environment variables of the service container. Variables set by the operator"
          + " (RAMPART_*, POD_*) cannot be overridden. Secrets and ConfigMaps referenced here are"
          + " hashed into the pod template, so changing them rolls the pods.")
  public List<EnvVar> env;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(e, has(e.configMapRef) != has(e.secretRef))",
      message =
          "spec.services[].envFrom[]: each entry needs exactly one of configMapRef or secretRef")
  @ValidationRule(
      value =
          "self.all(e, (!has(e.secretRef) || (has(e.secretRef.name) && size(e.secretRef.name) >"
              + " 0)) && (!has(e.configMapRef) || (has(e.configMapRef.name) &&"
              + " size(e.configMapRef.name) > 0)))",
      message = "spec.services[].envFrom[]: secretRef and configMapRef need a name")
  @JsonPropertyDescription(
      "ConfigMaps and Secrets whose keys become environment variables. Their data is hashed "
          + "into the pod template, so changing them rolls the pods.")
  public List<EnvFromSource> envFrom;

  @JsonPropertyDescription(
      "Escape hatch for the pod template: extra labels and annotations, scheduling constraints.")
  public PodTemplateOverrides template;

  public ServiceSpec() {}

  public int replicasOrDefault() {
    return replicas == null ? 3 : replicas;
  }

  public boolean autoscaled() {
    return autoscaling != null;
  }

  public List<String> producesList() {
    return produces == null ? List.of() : produces;
  }

  public List<String> consumesList() {
    return consumes == null ? List.of() : consumes;
  }

  public List<String> callsList() {
    return calls == null ? List.of() : calls;
  }
}
