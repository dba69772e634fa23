package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Pods outside the system, chosen as a NetworkPolicy peer chooses them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.namespaceSelector) || has(self.podSelector)",
    message =
        "spec.networkPolicy.allowMetricsFrom[]: set namespaceSelector, podSelector or both (an"
            + " empty peer would admit every pod)")
public class PeerSelector {
  @JsonPropertyDescription(
      "Namespaces of the pods, e.g. {matchLabels: {kubernetes.io/metadata.name: monitoring}}."
          + " Absent: the system's own namespace.")
  public LabelSelector namespaceSelector;

  @JsonPropertyDescription(
      "The pods, e.g. {matchLabels: {app.kubernetes.io/name: prometheus}}. Absent: every pod of"
          + " the namespaces chosen.")
  public LabelSelector podSelector;

  public PeerSelector() {}
}
