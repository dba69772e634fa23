package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Whether and how the operator walls the system in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {
  public static final List<Integer> DEFAULT_API_SERVER_PORTS = List.of(443, 6443);

  @Default("true")
  @JsonPropertyDescription(
      "Create the NetworkPolicies (default true). false: no wall, the system is open.")
  public Boolean enabled;

  @Size(min = 1, max = 4)
  @JsonPropertyDescription(
      "Ports of the Kubernetes API server the pods may reach (Akka discovery), to any address,"
          + " used only while the default/kubernetes EndpointSlice is missing; otherwise its"
          + " addresses and ports are opened and nothing else. Absent: 443 and 6443.")
  public List<@Min(1) @Max(65535) Integer> apiServerPorts;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Who may scrape the services' /metrics on their management port (e.g. Prometheus): each"
          + " entry a namespace and/or pod selector. Absent: nobody outside the operator. The"
          + " gateway's /metrics is on its HTTP port, open to every client already.")
  public List<PeerSelector> allowMetricsFrom;

  public NetworkPolicySpec() {}

  public List<PeerSelector> allowMetricsFromList() {
    return allowMetricsFrom == null ? List.of() : allowMetricsFrom;
  }

  public List<Integer> apiServerPortList() {
    return apiServerPorts == null ? DEFAULT_API_SERVER_PORTS : apiServerPorts;
  }
}
