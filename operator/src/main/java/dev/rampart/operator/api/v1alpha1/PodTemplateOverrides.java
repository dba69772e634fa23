package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** What a user may add to the pod template the operator writes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateOverrides {
  @Size(max = 32)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('app.kubernetes.io/') && !k.startsWith('rampart.dev/'))",
      message =
          "template.labels: keys under app.kubernetes.io/ and rampart.dev/ are set by the operator")
  @JsonPropertyDescription(
      "Extra pod labels. Keys under app.kubernetes.io/ and rampart.dev/ are reserved.")
  public Map<String, String> labels;

  @Size(max = 32)
  @JsonPropertyDescription("Extra pod annotations.")
  public Map<String, String> annotations;

  @Size(max = 16)
  @JsonPropertyDescription("Node labels the pods must be scheduled on.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Pod affinity and anti-affinity rules.")
  public Affinity affinity;

  @Size(max = 16)
  @JsonPropertyDescription("Tolerations of the pods.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Priority class of the pods.")
  public String priorityClassName;

  public PodTemplateOverrides() {}
}
