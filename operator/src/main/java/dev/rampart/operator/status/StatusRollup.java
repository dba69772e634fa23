package dev.rampart.operator.status;

import static dev.rampart.operator.status.SystemConditions.GATEWAY_READY;
import static dev.rampart.operator.status.SystemConditions.PAUSED;
import static dev.rampart.operator.status.SystemConditions.READY;
import static dev.rampart.operator.status.SystemConditions.SERVICES_READY;
import static dev.rampart.operator.status.SystemConditions.TOPICS_READY;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.GatewayStatus;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import dev.rampart.operator.api.v1alpha1.ServiceStatus;
import dev.rampart.operator.api.v1alpha1.TopicStatus;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.desired.GatewayRoutes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what was observed into the status: per service/topic/gateway facts, and conditions whose
 * messages say what is missing in words a user can act on. A pure function (the clock is a
 * parameter).
 */
public final class StatusRollup {
  private StatusRollup() {}

  public static MicroserviceSystemStatus of(
      MicroserviceSystem system, ObservedSystem observed, String now) {
    var previous = previousConditions(system);
    Long generation = system.getMetadata().getGeneration();
    var status = new MicroserviceSystemStatus();
    status.observedGeneration = generation;

    List<String> serviceProblems = new ArrayList<>();
    int servicesReady = 0;
    for (var service : system.getSpec().services()) {
      var s = new ServiceStatus();
      s.name = service.name;
      s.replicas = service.replicasOrDefault();
      Deployment deployment = observed.deployments().get(service.name);
      s.readyReplicas = readyReplicas(deployment);
      s.clusterMembers = observed.membership().get(service.name);
      Optional<String> problem = deploymentProblem(service.name, deployment, s.replicas);
      if (problem.isEmpty() && s.clusterMembers != null && s.clusterMembers.unreachable > 0) {
        problem =
            Optional.of(
                service.name
                    + ": "
                    + s.clusterMembers.unreachable
                    + " Akka cluster member(s) unreachable (see the pods' logs and"
                    + " /cluster/members)");
      }
      s.ready = problem.isEmpty();
      problem.ifPresent(serviceProblems::add);
      if (s.ready) {
        servicesReady++;
      }
      status.services.add(s);
    }
    int servicesTotal = system.getSpec().services().size();
    status.servicesReady = servicesReady + "/" + servicesTotal;
    var missingForServices =
        observed.missingConfig().stream().filter(ref -> !ref.ofGateway()).toList();
    var missingForGateway = observed.missingConfig().stream().filter(Ref::ofGateway).toList();
    missingForServices.forEach(ref -> serviceProblems.add(0, missing(system, ref)));

    List<String> topicProblems = new ArrayList<>();
    int topicsReady = 0;
    var topics = system.getSpec().kafkaSpec().map(k -> k.topicList()).orElse(List.of());
    for (var topic : topics) {
      var t = new TopicStatus();
      t.name = topic.name;
      KafkaTopic kafkaTopic = observed.topics().get(topic.name);
      Optional<Condition> strimziReady = strimziReady(kafkaTopic);
      t.ready = strimziReady.map(c -> "True".equals(c.getStatus())).orElse(false);
      if (t.ready) {
        topicsReady++;
      } else {
        String cluster = system.getSpec().kafka.cluster;
        t.message =
            kafkaTopic == null
                ? "KafkaTopic not created yet"
                : strimziReady
                    .map(
                        c ->
                            Objects.toString(c.getReason(), "NotReady")
                                + ": "
                                + Objects.toString(c.getMessage(), "no message"))
                    .orElse(
                        "not reported Ready by Strimzi yet: is the topic operator of Kafka cluster"
                            + " '"
                            + cluster
                            + "' running in this namespace?");
        topicProblems.add(topic.name + ": " + t.message);
      }
      status.topics.add(t);
    }
    status.topicsReady = topicsReady + "/" + topics.size();

    List<String> gatewayProblems = new ArrayList<>();
    system
        .getSpec()
        .gatewaySpec()
        .ifPresent(
            gateway -> {
              var g = new GatewayStatus();
              g.url = GatewayRoutes.url(system, gateway);
              g.routeKind = observed.routeKind().orElse(null);
              g.replicas = gateway.replicasOrDefault();
              Deployment deployment = observed.deployments().get(Labels.GATEWAY_SERVICE_NAME);
              g.readyReplicas = readyReplicas(deployment);
              missingForGateway.forEach(ref -> gatewayProblems.add(missing(system, ref)));
              deploymentProblem(Labels.GATEWAY_SERVICE_NAME, deployment, g.replicas)
                  .ifPresent(gatewayProblems::add);
              if (observed.routeKind().isEmpty()) {
                gatewayProblems.add("the gateway's HTTPRoute/Ingress does not exist yet");
              } else if (GatewayRoutes.HTTP_ROUTE.equals(g.routeKind)
                  && gateway.parentRefList().isEmpty()) {
                gatewayProblems.add(
                    "the HTTPRoute has no parentRefs: set spec.gateway.parentRefs to the Gateway to"
                        + " attach to");
              }
              g.ready = gatewayProblems.isEmpty();
              status.gateway = g;
            });

    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        SystemConditions.of(
            SERVICES_READY,
            serviceProblems.isEmpty(),
            serviceProblems.isEmpty()
                ? "AllServicesReady"
                : missingForServices.isEmpty() ? "ServicesNotReady" : "MissingConfiguration",
            serviceProblems.isEmpty()
                ? servicesReady + " of " + servicesTotal + " services ready"
                : String.join("; ", serviceProblems),
            generation,
            previous,
            now));
    conditions.add(
        SystemConditions.of(
            TOPICS_READY,
            topicProblems.isEmpty(),
            topics.isEmpty()
                ? "NoTopics"
                : topicProblems.isEmpty() ? "AllTopicsReady" : "TopicsNotReady",
            topics.isEmpty()
                ? "no topics declared"
                : topicProblems.isEmpty()
                    ? topicsReady + " of " + topics.size() + " topics ready"
                    : String.join("; ", topicProblems),
            generation,
            previous,
            now));
    boolean hasGateway = system.getSpec().gateway != null;
    conditions.add(
        SystemConditions.of(
            GATEWAY_READY,
            gatewayProblems.isEmpty(),
            !hasGateway
                ? "NoGateway"
                : gatewayProblems.isEmpty()
                    ? "GatewayReady"
                    : missingForGateway.isEmpty() ? "GatewayNotReady" : "MissingConfiguration",
            !hasGateway
                ? "no gateway declared"
                : gatewayProblems.isEmpty()
                    ? "gateway ready at " + status.gateway.url
                    : String.join("; ", gatewayProblems),
            generation,
            previous,
            now));

    boolean failed = !observed.failures().isEmpty();
    List<String> notReady =
        conditions.stream()
            .filter(c -> !"True".equals(c.getStatus()))
            .map(c -> c.getType() + ": " + c.getMessage())
            .toList();
    String readyReason =
        failed
            ? "ReconcileFailed"
            : notReady.isEmpty()
                ? "SystemReady"
                : conditions.stream()
                    .filter(c -> !"True".equals(c.getStatus()))
                    .findFirst()
                    .orElseThrow()
                    .getReason();
    String readyMessage =
        failed
            ? "could not apply: " + String.join("; ", observed.failures())
            : notReady.isEmpty()
                ? "all "
                    + servicesTotal
                    + " services, "
                    + topics.size()
                    + " topics"
                    + (hasGateway ? " and the gateway" : "")
                    + " are ready"
                : String.join(" | ", notReady);
    conditions.add(
        0,
        SystemConditions.of(
            READY,
            !failed && notReady.isEmpty(),
            readyReason,
            readyMessage,
            generation,
            previous,
            now));
    status.conditions = conditions;
    return status;
  }

  /** The previous status with a Paused condition: nothing else changes while paused. */
  public static MicroserviceSystemStatus paused(MicroserviceSystem system, String now) {
    var status =
        Optional.ofNullable(system.getStatus())
            .map(MicroserviceSystemStatus::copy)
            .orElseGet(MicroserviceSystemStatus::new);
    status.conditions =
        SystemConditions.replace(
            previousConditions(system),
            SystemConditions.of(
                PAUSED,
                true,
                "PausedByAnnotation",
                Labels.PAUSE_ANNOTATION
                    + " is \"true\": the operator makes no changes to this "
                    + "system's objects; remove the annotation to resume",
                system.getMetadata().getGeneration(),
                previousConditions(system),
                now));
    return status;
  }

  private static String missing(MicroserviceSystem system, Ref ref) {
    return ref.kind()
        + " "
        + ref.name()
        + " (referenced by "
        + ref.field()
        + ") does not exist in namespace "
        + system.getMetadata().getNamespace()
        + "; create it";
  }

  private static List<Condition> previousConditions(MicroserviceSystem system) {
    return system.getStatus() == null || system.getStatus().conditions == null
        ? List.of()
        : system.getStatus().conditions;
  }

  private static int readyReplicas(Deployment deployment) {
    return deployment == null
            || deployment.getStatus() == null
            || deployment.getStatus().getReadyReplicas() == null
        ? 0
        : deployment.getStatus().getReadyReplicas();
  }

  static Optional<String> deploymentProblem(String component, Deployment deployment, int replicas) {
    if (deployment == null) {
      return Optional.of(component + ": Deployment not created yet");
    }
    var status = deployment.getStatus();
    int ready = readyReplicas(deployment);
    if (status == null
        || status.getObservedGeneration() == null
        || status.getObservedGeneration() < deployment.getMetadata().getGeneration()) {
      return Optional.of(
          component
              + ": Deployment "
              + deployment.getMetadata().getName()
              + " not yet observed by the deployment controller (is kube-controller-manager"
              + " running?)");
    }
    int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    if (ready < replicas) {
      return Optional.of(
          component
              + ": "
              + ready
              + "/"
              + replicas
              + " pods ready (check the pods' events and "
              + "/ready on the management port)");
    }
    if (updated < replicas) {
      return Optional.of(
          component + ": rolling out, " + updated + "/" + replicas + " pods updated");
    }
    return Optional.empty();
  }

  private static Optional<Condition> strimziReady(KafkaTopic topic) {
    if (topic == null || topic.getStatus() == null || topic.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return topic.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .map(
            c ->
                new io.fabric8.kubernetes.api.model.ConditionBuilder()
                    .withType(c.getType())
                    .withStatus(c.getStatus())
                    .withReason(c.getReason())
                    .withMessage(c.getMessage())
                    .build());
  }
}
