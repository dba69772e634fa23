package dev.rampart.operator.reconciler;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import dev.rampart.operator.dependent.ApiServerEndpointSlice;
import dev.rampart.operator.dependent.DeploymentDependent;
import dev.rampart.operator.dependent.GatewayApiInstalled;
import dev.rampart.operator.dependent.GatewayApiPresent;
import dev.rampart.operator.dependent.HorizontalPodAutoscalerDependent;
import dev.rampart.operator.dependent.HttpRouteDependent;
import dev.rampart.operator.dependent.IngressDependent;
import dev.rampart.operator.dependent.KafkaTopicDependent;
import dev.rampart.operator.dependent.NetworkPolicyDependent;
import dev.rampart.operator.dependent.PodDisruptionBudgetDependent;
import dev.rampart.operator.dependent.RoleBindingDependent;
import dev.rampart.operator.dependent.RoleDependent;
import dev.rampart.operator.dependent.ServiceAccountDependent;
import dev.rampart.operator.dependent.ServiceDependent;
import dev.rampart.operator.dependent.SystemChildren;
import dev.rampart.operator.dependent.TopicRetention;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.desired.PodDeletionCosts;
import dev.rampart.operator.status.NameConflictStatus;
import dev.rampart.operator.status.ObservedSystem;
import dev.rampart.operator.status.PodClusterView;
import dev.rampart.operator.status.StatusRollup;
import dev.rampart.operator.status.SystemConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a MicroserviceSystem exist and keeps it so. The children are the dependents declared below
 * (one class per kind); this class only decides whether to apply them (not while paused), then
 * observes them and writes the status. Generation-unaware, so an annotation change (pause/resume)
 * reconciles at once; {@link SpecOrMetadataChanged} keeps the operator's own status patches from
 * reconciling again. Pods are watched (stuck pods), and their Akka membership is polled by an event
 * source of its own ({@link ClusterMembershipSource}), never on a reconciler thread; from it each
 * reconcile sets the pods' deletion costs ({@link PodDeletionCosts}: the Akka oldest goes last).
 */
@ControllerConfiguration(
    name = MicroserviceSystemReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrMetadataChanged.class),
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = "service-accounts", type = ServiceAccountDependent.class),
      @Dependent(name = "roles", type = RoleDependent.class),
      @Dependent(
          name = "role-bindings",
          type = RoleBindingDependent.class,
          dependsOn = {"service-accounts", "roles"}),
      @Dependent(name = "services", type = ServiceDependent.class),
      @Dependent(name = "network-policies", type = NetworkPolicyDependent.class),
      @Dependent(
          name = "deployments",
          type = DeploymentDependent.class,
          dependsOn = "role-bindings"),
      @Dependent(name = "disruption-budgets", type = PodDisruptionBudgetDependent.class),
      @Dependent(
          name = "autoscalers",
          type = HorizontalPodAutoscalerDependent.class,
          dependsOn = "deployments"),
      @Dependent(
          name = "kafka-topics",
          type = KafkaTopicDependent.class,
          activationCondition = CRDPresentActivationCondition.class),
      @Dependent(
          name = "http-route",
          type = HttpRouteDependent.class,
          activationCondition = GatewayApiPresent.class),
      @Dependent(name = "ingress", type = IngressDependent.class),
    })
public class MicroserviceSystemReconciler
    implements Reconciler<MicroserviceSystem>, Cleaner<MicroserviceSystem> {
  public static final String NAME = "microservicesystem";
  static final String PODS = "pods";

  /**
   * How often a reconciled system is looked at again, a safety net: children, pods, Akka membership
   * and the referenced Secrets and ConfigMaps trigger reconciles themselves.
   */
  static final Duration STATUS_POLL = Duration.ofSeconds(30);

  /** After a failure to apply a child. */
  static final Duration RETRY = Duration.ofSeconds(10);

  static final String FAILED = "ReconcileFailed";
  private static final Logger log = LoggerFactory.getLogger(MicroserviceSystemReconciler.class);
  private final ClusterMembershipProbe membershipProbe;
  private final PodDeletionCostPatches deletionCosts;

  public MicroserviceSystemReconciler(MeterRegistry registry) {
    this(new ClusterMembershipProbe(), registry);
  }

  public MicroserviceSystemReconciler(
      ClusterMembershipProbe membershipProbe, MeterRegistry registry) {
    this.membershipProbe = membershipProbe;
    this.deletionCosts = new PodDeletionCostPatches(registry);
  }

  /**
   * Pods of every system (by the system label), the Akka membership they report, the Secrets and
   * ConfigMaps the systems reference, the Gateway API's HTTPRoute CRD and the API server's own
   * EndpointSlice.
   */
  @Override
  public List<EventSource<?, MicroserviceSystem>> prepareEventSources(
      EventSourceContext<MicroserviceSystem> context) {
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, MicroserviceSystem.class)
                .withName(PODS)
                .withLabelSelector(SystemChildren.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(MicroserviceSystemReconciler::systemOf)
                .build(),
            context);
    List<EventSource<?, MicroserviceSystem>> sources = new ArrayList<>();
    sources.add(pods);
    sources.add(new ClusterMembershipSource(context, pods, membershipProbe));
    sources.addAll(ReferencedConfigInformers.of(context));
    sources.add(GatewayApiInstalled.informer(context));
    sources.add(ApiServerEndpointSlice.informer(context));
    return sources;
  }

  private static Set<ResourceID> systemOf(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null || labels.get(Labels.SYSTEM) == null
        ? Set.of()
        : Set.of(new ResourceID(labels.get(Labels.SYSTEM), pod.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<MicroserviceSystem> reconcile(
      MicroserviceSystem system, Context<MicroserviceSystem> context) {
    var events = SystemEvents.of(context);
    if (system.paused()) {
      boolean wasPaused = condition(system.getStatus(), SystemConditions.PAUSED).isPresent();
      if (!wasPaused) {
        events.normal(
            system,
            "Paused",
            Labels.PAUSE_ANNOTATION + " is \"true\": no changes until it is removed");
      }
      return UpdateControl.patchStatus(statusPatch(system, StatusRollup.paused(system, now())));
    }
    if (condition(system.getStatus(), SystemConditions.PAUSED).isPresent()) {
      events.normal(system, "Resumed", Labels.PAUSE_ANNOTATION + " removed: reconciling again");
    }

    var conflicts = OwnershipConflicts.of(system, context);
    if (!conflicts.isEmpty()) {
      var status = NameConflictStatus.of(system, conflicts, now());
      var before = condition(system.getStatus(), SystemConditions.READY);
      var after = status.condition(SystemConditions.READY).orElseThrow();
      if (NewFailure.of(before, after)) {
        events.warning(system, NameConflictStatus.REASON, after.getMessage());
      }
      return UpdateControl.patchStatus(statusPatch(system, status)).rescheduleAfter(RETRY);
    }

    var config = ReferencedConfig.of(system, context);
    // observed before the workflow, whose dependents run in parallel, so all see the same answer
    boolean gatewayApi = GatewayApiInstalled.observe(context);
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    List<String> failures = new ArrayList<>();
    result
        .getErroredDependents()
        .forEach(
            (dependent, e) -> {
              log.warn(
                  "{}/{}: applying {} failed",
                  system.getMetadata().getNamespace(),
                  system.name(),
                  dependent.name(),
                  e);
              failures.add(dependent.resourceType().getSimpleName() + ": " + rootMessage(e));
            });

    var pods = secondaries(context, Pod.class).orElse(Set.of());
    var views = secondaries(context, PodClusterView.class).orElse(Set.of());
    deletionCosts.apply(
        context.getClient(), pods, PodDeletionCosts.of(pods, views), podInformer(context));

    var observed =
        new ObservedSystem(
            byComponent(secondaries(context, Deployment.class).orElse(Set.of())),
            podsByComponent(pods),
            secondaries(context, KafkaTopic.class).map(topics -> topicsByName(system, topics)),
            route(context, gatewayApi),
            clusterViewsByService(views),
            config.missing(),
            failures);
    var status = StatusRollup.of(system, observed, now());
    recordTransitions(system, status, events);
    return UpdateControl.patchStatus(statusPatch(system, status))
        .rescheduleAfter(failures.isEmpty() ? STATUS_POLL : RETRY);
  }

  /**
   * Runs before the system goes (the finalizer JOSDK adds for a Cleaner): retained topics are
   * unmanaged first, so when the garbage collector deletes their KafkaTopics Strimzi keeps the
   * topics. Every other child goes with the system through its ownerReference. Also while paused:
   * keeping data is never a change to hold back.
   */
  @Override
  public DeleteControl cleanup(MicroserviceSystem system, Context<MicroserviceSystem> context) {
    secondaries(context, KafkaTopic.class)
        .orElse(Set.of())
        .forEach(t -> TopicRetention.unmanageIfRetained(context.getClient(), t));
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<MicroserviceSystem> updateErrorStatus(
      MicroserviceSystem system, Context<MicroserviceSystem> context, Exception e) {
    var status =
        Optional.ofNullable(system.getStatus())
            .map(MicroserviceSystemStatus::copy)
            .orElseGet(MicroserviceSystemStatus::new);
    var previous = List.copyOf(status.conditions);
    var failed =
        SystemConditions.of(
            SystemConditions.READY,
            false,
            FAILED,
            "reconcile failed: " + rootMessage(e) + " (the operator retries)",
            system.getMetadata().getGeneration(),
            previous,
            now());
    List<Condition> conditions =
        new ArrayList<>(
            previous.stream().filter(c -> !SystemConditions.READY.equals(c.getType())).toList());
    conditions.add(0, failed);
    status.conditions = conditions;
    // once per failure, not at every retry of it
    if (NewFailure.of(condition(system.getStatus(), SystemConditions.READY), failed)) {
      SystemEvents.of(context).warning(system, FAILED, rootMessage(e));
    }
    return ErrorStatusUpdateControl.patchStatus(statusPatch(system, status));
  }

  /**
   * A fresh object holding only identity and status: server-side apply then owns nothing but the
   * status.
   */
  private static MicroserviceSystem statusPatch(
      MicroserviceSystem system, MicroserviceSystemStatus status) {
    var patch = new MicroserviceSystem();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(system.getMetadata().getName())
            .withNamespace(system.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  /**
   * Events for what changed: became ready, stopped being ready, failed to apply, recovered from
   * that.
   */
  private static void recordTransitions(
      MicroserviceSystem system, MicroserviceSystemStatus status, SystemEvents events) {
    var before = condition(system.getStatus(), SystemConditions.READY);
    var after = status.condition(SystemConditions.READY).orElseThrow();
    boolean wasReady = before.map(c -> "True".equals(c.getStatus())).orElse(false);
    boolean wasFailing = before.map(c -> FAILED.equals(c.getReason())).orElse(false);
    boolean isReady = "True".equals(after.getStatus());
    boolean isFailing = FAILED.equals(after.getReason());
    if (isFailing) {
      if (NewFailure.of(before, after)) {
        events.warning(system, FAILED, after.getMessage());
      }
    } else if (wasFailing) {
      events.normal(system, "Recovered", "every child applied again; " + after.getMessage());
    } else if (isReady && !wasReady) {
      events.normal(system, "Ready", after.getMessage());
    } else if (!isReady && wasReady) {
      events.warning(system, "NotReady", after.getMessage());
    }
  }

  private static Optional<Condition> condition(MicroserviceSystemStatus status, String type) {
    return status == null || status.conditions == null ? Optional.empty() : status.condition(type);
  }

  /**
   * The cached secondaries of a kind; empty when no event source serves it, i.e. its dependent is
   * not active because the activation condition found its CRD missing.
   */
  private static <R> Optional<Set<R>> secondaries(
      Context<MicroserviceSystem> context, Class<R> type) {
    try {
      return Optional.of(context.getSecondaryResources(type));
    } catch (RuntimeException inactive) {
      return Optional.empty();
    }
  }

  private static InformerEventSource<Pod, MicroserviceSystem> podInformer(
      Context<MicroserviceSystem> context) {
    return (InformerEventSource<Pod, MicroserviceSystem>)
        context.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
  }

  private static Map<String, Deployment> byComponent(Set<Deployment> deployments) {
    Map<String, Deployment> result = new LinkedHashMap<>();
    deployments.forEach(
        d -> {
          var labels = d.getMetadata().getLabels();
          if (labels != null && labels.get(Labels.SERVICE) != null) {
            result.put(labels.get(Labels.SERVICE), d);
          }
        });
    return result;
  }

  private static Map<String, KafkaTopic> topicsByName(
      MicroserviceSystem system, Set<KafkaTopic> topics) {
    Map<String, KafkaTopic> result = new LinkedHashMap<>();
    system
        .getSpec()
        .kafkaSpec()
        .ifPresent(
            kafka ->
                kafka
                    .topicList()
                    .forEach(
                        t ->
                            topics.stream()
                                .filter(
                                    k ->
                                        k.getMetadata()
                                            .getName()
                                            .equals(KafkaTopics.resourceName(system, t.name)))
                                .findFirst()
                                .ifPresent(k -> result.put(t.name, k))));
    return result;
  }

  /** The route of this reconcile's observation; the other kind is on its way out. */
  private static Optional<HasMetadata> route(
      Context<MicroserviceSystem> context, boolean gatewayApi) {
    Optional<? extends Set<? extends HasMetadata>> routes =
        gatewayApi ? secondaries(context, HTTPRoute.class) : secondaries(context, Ingress.class);
    return routes.flatMap(r -> r.stream().findFirst()).map(r -> r);
  }

  private static Map<String, List<Pod>> podsByComponent(Set<Pod> pods) {
    Map<String, List<Pod>> result = new TreeMap<>();
    pods.forEach(
        p -> {
          var labels = p.getMetadata().getLabels();
          if (labels != null && labels.get(Labels.SERVICE) != null) {
            result.computeIfAbsent(labels.get(Labels.SERVICE), k -> new ArrayList<>()).add(p);
          }
        });
    return result;
  }

  private static Map<String, List<PodClusterView>> clusterViewsByService(
      Set<PodClusterView> views) {
    Map<String, List<PodClusterView>> result = new TreeMap<>();
    views.forEach(v -> result.computeIfAbsent(v.service(), k -> new ArrayList<>()).add(v));
    return result;
  }

  /** What the API server said (its Status message), else the innermost exception's message. */
  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (true) {
      if (cause instanceof KubernetesClientException k
          && k.getStatus() != null
          && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      if (cause.getCause() == null || cause.getCause() == cause) {
        return Objects.toString(cause.getMessage(), cause.getClass().getSimpleName());
      }
      cause = cause.getCause();
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
