package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MicroserviceSystemStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Ready (everything below), Degraded (something is broken and will not heal by waiting:"
          + " ProgressDeadlineExceeded, ReplicaFailure, ClusterSplit, CrashLoopBackOff,"
          + " ImagePullBackOff, ErrImagePull), ServicesReady, TopicsReady, GatewayReady, and Paused"
          + " while the rampart.dev/pause-reconciliation annotation is \"true\". Reason and message"
          + " say what is missing or broken.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Ready services / declared services, e.g. 2/3.")
  public String servicesReady;

  @JsonPropertyDescription("Ready topics / declared topics, e.g. 1/2.")
  public String topicsReady;

  @JsonPropertyDescription("Per service: pods and Akka cluster membership.")
  public List<ServiceStatus> services = new ArrayList<>();

  @JsonPropertyDescription("Per topic: whether Strimzi reports it Ready.")
  public List<TopicStatus> topics = new ArrayList<>();

  @JsonPropertyDescription("The gateway, when one is declared.")
  public GatewayStatus gateway;

  public MicroserviceSystemStatus() {}

  /** A copy to change: the status of a cached resource must never be modified in place. */
  public MicroserviceSystemStatus copy() {
    var copy = new MicroserviceSystemStatus();
    copy.observedGeneration = observedGeneration;
    copy.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
    copy.servicesReady = servicesReady;
    copy.topicsReady = topicsReady;
    copy.services = services == null ? new ArrayList<>() : new ArrayList<>(services);
    copy.topics = topics == null ? new ArrayList<>() : new ArrayList<>(topics);
    copy.gateway = gateway;
    return copy;
  }

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> Objects.equals(c.getType(), type)).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MicroserviceSystemStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(servicesReady, s.servicesReady)
        && Objects.equals(topicsReady, s.topicsReady)
        && Objects.equals(services, s.services)
        && Objects.equals(topics, s.topics)
        && Objects.equals(gateway, s.gateway);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, conditions, servicesReady, topicsReady, services, topics, gateway);
  }
}
