package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One service as observed: its Deployment's pods and its Akka cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceStatus {
  @JsonPropertyDescription("Service name.")
  public String name;

  @JsonPropertyDescription("Desired pods.")
  public Integer replicas;

  @JsonPropertyDescription("Pods passing readiness (/ready on the management port).")
  public Integer readyReplicas;

  @JsonPropertyDescription("Whether every desired pod is ready and runs the current pod template.")
  public Boolean ready;

  @JsonPropertyDescription(
      "Akka cluster membership as reported by a ready pod's /cluster/members; absent when no "
          + "pod's management endpoint could be reached.")
  public ClusterMembership clusterMembers;

  public ServiceStatus() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceStatus s
        && Objects.equals(name, s.name)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(readyReplicas, s.readyReplicas)
        && Objects.equals(ready, s.ready)
        && Objects.equals(clusterMembers, s.clusterMembers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, replicas, readyReplicas, ready, clusterMembers);
  }
}
