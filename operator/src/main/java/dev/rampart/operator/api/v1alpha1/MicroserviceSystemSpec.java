package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.operator.api.MapList;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Optional;

/**
 * Cross-field rules live here because CEL can only see a field's own subtree. Every list is bounded
 * ({@link Size}) and every name has a maxLength so the API server can bound the rules' cost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.services.all(s, !has(s.produces) || s.produces.all(t, has(self.kafka) &&"
            + " has(self.kafka.topics) && self.kafka.topics.exists(d, d.name == t)))",
    message =
        "spec.services[].produces: every topic a service produces must be declared in"
            + " spec.kafka.topics")
@ValidationRule(
    value =
        "self.services.all(s, !has(s.consumes) || s.consumes.all(t, has(self.kafka) &&"
            + " has(self.kafka.topics) && self.kafka.topics.exists(d, d.name == t)))",
    message =
        "spec.services[].consumes: every topic a service consumes must be declared in"
            + " spec.kafka.topics")
@ValidationRule(
    value =
        "self.services.all(s, !has(s.calls) || s.calls.all(c, self.services.exists(o, o.name =="
            + " c)))",
    message = "spec.services[].calls: every called service must be declared in spec.services")
@ValidationRule(
    value =
        "!has(self.gateway) || self.gateway.routes.all(r, self.services.exists(s, s.name =="
            + " r.service))",
    message = "spec.gateway.routes: every route must name a service declared in spec.services")
public class MicroserviceSystemSpec {

  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "The Akka microservices of this system. Each becomes a Deployment whose pods form one Akka"
          + " cluster, with a ServiceAccount, Role and RoleBinding (pod discovery), a ClusterIP"
          + " Service for gRPC and a PodDisruptionBudget. Names must be unique.")
  @MapList(keys = "name")
  public List<ServiceSpec> services;

  @JsonPropertyDescription(
      "The Strimzi Kafka cluster the services use, and the topics the operator creates in it "
          + "(one KafkaTopic each). Required when any service produces or consumes.")
  public KafkaSpec kafka;

  @JsonPropertyDescription(
      "Where the services keep their event-sourced journals and projection offsets. Absent: "
          + "each pod uses an in-process database (not durable; for trials only).")
  public PersistenceSpec persistence;

  @JsonPropertyDescription(
      "The gateway: the only way into the system from outside. Absent: no gateway, no route.")
  public GatewaySpec gateway;

  @JsonPropertyDescription(
      "The wall around the system: NetworkPolicies that deny everything into the system's pods "
          + "except the gateway, declared calls and each service's own cluster traffic.")
  public NetworkPolicySpec networkPolicy;

  public MicroserviceSystemSpec() {}

  public List<ServiceSpec> services() {
    return services == null ? List.of() : services;
  }

  public Optional<KafkaSpec> kafkaSpec() {
    return Optional.ofNullable(kafka);
  }

  public Optional<GatewaySpec> gatewaySpec() {
    return Optional.ofNullable(gateway);
  }

  public Optional<ServiceSpec> service(String name) {
    return services().stream().filter(s -> s.name.equals(name)).findFirst();
  }

  public boolean networkPoliciesEnabled() {
    return networkPolicy == null || networkPolicy.enabled == null || networkPolicy.enabled;
  }
}
