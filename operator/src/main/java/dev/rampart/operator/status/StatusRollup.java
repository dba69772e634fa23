package dev.rampart.operator.status;

import static dev.rampart.operator.status.SystemConditions.DEGRADED;
import static dev.rampart.operator.status.SystemConditions.GATEWAY_READY;
import static dev.rampart.operator.status.SystemConditions.PAUSED;
import static dev.rampart.operator.status.SystemConditions.READY;
import static dev.rampart.operator.status.SystemConditions.SERVICES_READY;
import static dev.rampart.operator.status.SystemConditions.TOPICS_READY;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.GatewayStatus;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import dev.rampart.operator.api.v1alpha1.ServiceStatus;
import dev.rampart.operator.api.v1alpha1.TopicStatus;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.desired.GatewayRoutes;
import dev.rampart.operator.desired.ServedRoutes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what was observed into the status. One function per area (services, topics, gateway, pause)
 * gives that area's verdict; {@link #of} composes them into the conditions. Ready means every
 * desired pod of the current ReplicaSet is available, every service's pods form one Akka cluster
 * with every member Up, every topic is Ready at its current generation and the route is accepted.
 * Degraded names what is broken rather than still coming. A pure function (the clock is a
 * parameter).
 */
public final class StatusRollup {
  static final String SERVICES_NOT_READY = "ServicesNotReady";
  static final String GATEWAY_NOT_READY = "GatewayNotReady";
  static final String UNSUPPORTED_ROUTE = "UnsupportedRoute";
  static final String MISSING_CONFIGURATION = "MissingConfiguration";
  static final String FAILED = "ReconcileFailed";

  private StatusRollup() {}

  /** One area's part of the status, its verdict and the verdicts of its parts. */
  record Area<T>(T part, Verdict verdict, List<Verdict> parts) {
    Area(T part, Verdict verdict) {
      this(part, verdict, List.of(verdict));
    }
  }

  public static MicroserviceSystemStatus of(
      MicroserviceSystem system, ObservedSystem observed, String now) {
    var previous = previousConditions(system);
    Long generation = system.getMetadata().getGeneration();
    var services = services(system, observed);
    var topics = topics(system, observed);
    var gateway = gateway(system, observed);
    var ready = ready(system, observed, services.verdict(), topics.verdict(), gateway.verdict());
    List<Verdict> parts = new ArrayList<>(services.parts());
    parts.addAll(topics.parts());
    parts.addAll(gateway.parts());
    var degraded = degraded(parts);

    var status = new MicroserviceSystemStatus();
    status.observedGeneration = generation;
    status.services = services.part();
    status.servicesReady = count(services.part().stream().map(s -> s.ready).toList());
    status.topics = topics.part();
    status.topicsReady = count(topics.part().stream().map(t -> t.ready).toList());
    status.gateway = gateway.part();
    status.conditions =
        new ArrayList<>(
            List.of(
                condition(READY, ready, generation, previous, now),
                SystemConditions.of(
                    DEGRADED,
                    !degraded.ok(),
                    degraded.reason(),
                    degraded.message(),
                    generation,
                    previous,
                    now),
                condition(SERVICES_READY, services.verdict(), generation, previous, now),
                condition(TOPICS_READY, topics.verdict(), generation, previous, now),
                condition(GATEWAY_READY, gateway.verdict(), generation, previous, now)));
    return status;
  }

  /** Each service's Deployment, pods and Akka cluster; missing config first. */
  static Area<List<ServiceStatus>> services(MicroserviceSystem system, ObservedSystem observed) {
    List<Verdict> verdicts = new ArrayList<>();
    observed.missingConfig().stream()
        .filter(ref -> !ref.ofGateway())
        .forEach(ref -> verdicts.add(Verdict.notOk(MISSING_CONFIGURATION, missing(system, ref))));
    List<ServiceStatus> statuses = new ArrayList<>();
    for (var spec : system.getSpec().services()) {
      var service = service(spec, observed);
      statuses.add(service.part());
      verdicts.add(service.verdict());
    }
    int total = statuses.size();
    return new Area<>(
        statuses,
        Verdict.allOf(verdicts, "AllServicesReady", total + " of " + total + " services ready"),
        verdicts);
  }

  /** One service: broken Deployment or pods first, then rollout progress, then its cluster. */
  static Area<ServiceStatus> service(ServiceSpec spec, ObservedSystem observed) {
    var deployment = observed.deployments().get(spec.name);
    var views = observed.clusterViews().getOrDefault(spec.name, List.of());
    var s = new ServiceStatus();
    s.name = spec.name;
    s.replicas = desiredReplicas(deployment, spec.replicasOrDefault());
    s.readyReplicas = WorkloadVerdicts.readyReplicas(deployment);
    s.clusterMembers = AkkaClusterVerdicts.shown(views).orElse(null);
    var verdict = workload(spec.name, deployment, observed, s.replicas, SERVICES_NOT_READY);
    if (verdict.ok()) {
      verdict = AkkaClusterVerdicts.of(spec.name, s.replicas, views, SERVICES_NOT_READY);
    }
    s.ready = verdict.ok();
    return new Area<>(s, verdict);
  }

  /** Every declared topic's KafkaTopic, or that Strimzi's CRD is not there at all. */
  static Area<List<TopicStatus>> topics(MicroserviceSystem system, ObservedSystem observed) {
    var topics = system.getSpec().kafkaSpec().map(k -> k.topicList()).orElse(List.of());
    if (topics.isEmpty()) {
      return new Area<>(List.of(), Verdict.ok("NoTopics", "no topics declared"));
    }
    List<TopicStatus> statuses = new ArrayList<>();
    if (observed.topics().isEmpty()) {
      var verdict = TopicVerdicts.crdNotInstalled();
      topics.forEach(t -> statuses.add(topicStatus(t.name, verdict)));
      return new Area<>(statuses, verdict);
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (var topic : topics) {
      var verdict =
          TopicVerdicts.of(
              topic.name, observed.topics().get().get(topic.name), system.getSpec().kafka.cluster);
      statuses.add(topicStatus(topic.name, verdict));
      verdicts.add(verdict);
    }
    return new Area<>(
        statuses,
        Verdict.allOf(
            verdicts, "AllTopicsReady", topics.size() + " of " + topics.size() + " topics ready"),
        verdicts);
  }

  /** The gateway's config, Deployment and pods, and its route. */
  static Area<GatewayStatus> gateway(MicroserviceSystem system, ObservedSystem observed) {
    var spec = system.getSpec().gatewaySpec();
    if (spec.isEmpty()) {
      return new Area<>(null, Verdict.ok("NoGateway", "no gateway declared"));
    }
    var g = new GatewayStatus();
    g.url = GatewayRoutes.url(system, spec.get());
    g.routeKind =
        observed
            .route()
            .map(r -> r instanceof HTTPRoute ? GatewayRoutes.HTTP_ROUTE : GatewayRoutes.INGRESS)
            .orElse(null);
    var deployment = observed.deployments().get(Labels.GATEWAY_SERVICE_NAME);
    g.replicas = desiredReplicas(deployment, spec.get().replicasOrDefault());
    g.readyReplicas = WorkloadVerdicts.readyReplicas(deployment);
    List<Verdict> verdicts = new ArrayList<>();
    observed.missingConfig().stream()
        .filter(Ref::ofGateway)
        .forEach(ref -> verdicts.add(Verdict.notOk(MISSING_CONFIGURATION, missing(system, ref))));
    verdicts.add(
        workload(Labels.GATEWAY_SERVICE_NAME, deployment, observed, g.replicas, GATEWAY_NOT_READY));
    verdicts.add(RouteVerdicts.of(observed.route(), GATEWAY_NOT_READY));
    var unsupported = ServedRoutes.of(spec.get()).unsupported();
    if (!unsupported.isEmpty())
      verdicts.add(
          Verdict.notOk(
              UNSUPPORTED_ROUTE,
              "spec.gateway.routes not served: " + String.join("; ", unsupported)));
    var verdict = Verdict.allOf(verdicts, "GatewayReady", "gateway ready at " + g.url);
    g.ready = verdict.ok();
    return new Area<>(g, verdict, verdicts);
  }

  /**
   * The whole system: a failure to apply wins; else ready when every area is; else the reason of
   * the first broken area (else of the first one not ready yet), and every area's message.
   */
  static Verdict ready(
      MicroserviceSystem system,
      ObservedSystem observed,
      Verdict services,
      Verdict topics,
      Verdict gateway) {
    if (!observed.failures().isEmpty()) {
      return Verdict.notOk(FAILED, "could not apply: " + String.join("; ", observed.failures()));
    }
    var areas = List.of(services, topics, gateway);
    var types = List.of(SERVICES_READY, TOPICS_READY, GATEWAY_READY);
    List<String> notReady = new ArrayList<>();
    for (int i = 0; i < areas.size(); i++) {
      if (!areas.get(i).ok()) {
        notReady.add(types.get(i) + ": " + areas.get(i).message());
      }
    }
    if (notReady.isEmpty()) {
      int topicCount = system.getSpec().kafkaSpec().map(k -> k.topicList().size()).orElse(0);
      return Verdict.ok(
          "SystemReady",
          "all "
              + system.getSpec().services().size()
              + " services, "
              + topicCount
              + " topics"
              + (system.getSpec().gateway != null ? " and the gateway" : "")
              + " are ready");
    }
    var first =
        areas.stream()
            .filter(Verdict::degraded)
            .findFirst()
            .orElse(areas.stream().filter(v -> !v.ok()).findFirst().orElseThrow());
    return Verdict.notOk(first.reason(), String.join(" | ", notReady));
  }

  /**
   * Degraded: the parts (a service, the gateway, ...) that are broken and will not heal by waiting
   * (ok here means "not degraded").
   */
  static Verdict degraded(List<Verdict> parts) {
    var broken = parts.stream().filter(Verdict::degraded).toList();
    return broken.isEmpty()
        ? Verdict.ok("NotDegraded", "nothing is failing")
        : Verdict.notOk(
            broken.get(0).reason(),
            String.join(" | ", broken.stream().map(Verdict::message).toList()));
  }

  /** Paused: the annotation is set (ok here means "not paused"). */
  static Verdict pause(MicroserviceSystem system) {
    return system.paused()
        ? Verdict.notOk(
            "PausedByAnnotation",
            Labels.PAUSE_ANNOTATION
                + " is \"true\": the operator makes no changes to this "
                + "system's objects; remove the annotation to resume")
        : Verdict.ok("NotPaused", "reconciling");
  }

  /** The previous status with a Paused condition: nothing else changes while paused. */
  public static MicroserviceSystemStatus paused(MicroserviceSystem system, String now) {
    var status =
        Optional.ofNullable(system.getStatus())
            .map(MicroserviceSystemStatus::copy)
            .orElseGet(MicroserviceSystemStatus::new);
    var pause = pause(system);
    status.conditions =
        SystemConditions.replace(
            previousConditions(system),
            SystemConditions.of(
                PAUSED,
                !pause.ok(),
                pause.reason(),
                pause.message(),
                system.getMetadata().getGeneration(),
                previousConditions(system),
                now));
    return status;
  }

  /** A Deployment and its pods: stuck pods are said even while the rollout is still going. */
  private static Verdict workload(
      String component,
      Deployment deployment,
      ObservedSystem observed,
      int replicas,
      String notReadyReason) {
    var verdict = WorkloadVerdicts.deployment(component, deployment, replicas, notReadyReason);
    if (verdict.degraded()) {
      return verdict;
    }
    return WorkloadVerdicts.stuckPods(component, observed.pods().getOrDefault(component, List.of()))
        .orElse(verdict);
  }

  /** The Deployment's own spec.replicas (what it rolls out, even if set by an autoscaler). */
  private static int desiredReplicas(Deployment deployment, int declared) {
    return deployment == null
            || deployment.getSpec() == null
            || deployment.getSpec().getReplicas() == null
        ? declared
        : deployment.getSpec().getReplicas();
  }

  private static TopicStatus topicStatus(String name, Verdict verdict) {
    var t = new TopicStatus();
    t.name = name;
    t.ready = verdict.ok();
    t.message = verdict.ok() ? null : verdict.message();
    return t;
  }

  private static Condition condition(
      String type, Verdict verdict, Long generation, List<Condition> previous, String now) {
    return SystemConditions.of(
        type, verdict.ok(), verdict.reason(), verdict.message(), generation, previous, now);
  }

  private static String count(List<Boolean> ready) {
    return ready.stream().filter(Boolean.TRUE::equals).count() + "/" + ready.size();
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
}
