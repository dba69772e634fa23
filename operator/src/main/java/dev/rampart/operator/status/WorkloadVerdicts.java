package dev.rampart.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Verdicts on one component's Deployment and pods (a service's or the gateway's): broken (progress
 * deadline exceeded, pods cannot be created, pods crash-looping or without their image), or still
 * rolling out, or every desired pod of the current ReplicaSet available.
 */
final class WorkloadVerdicts {
  /** Container waiting reasons that do not go away by waiting. */
  static final Set<String> STUCK_WAITING =
      Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull");

  private WorkloadVerdicts() {}

  /**
   * The Deployment's verdict. {@code notReadyReason} is the area's reason for "not there yet".
   * Ready means what {@code kubectl rollout status} waits for: the controller saw the current
   * generation, every desired pod is updated, no old pod is left and every updated pod is
   * available. ({@code readyReplicas} counts old pods too, so it is not used.)
   */
  static Verdict deployment(
      String component, Deployment deployment, int replicas, String notReadyReason) {
    if (deployment == null) {
      return Verdict.notOk(notReadyReason, component + ": Deployment not created yet");
    }
    String name = deployment.getMetadata().getName();
    var status = deployment.getStatus();
    if (status == null
        || status.getObservedGeneration() == null
        || status.getObservedGeneration() < deployment.getMetadata().getGeneration()) {
      return Verdict.notOk(
          notReadyReason,
          component
              + ": Deployment "
              + name
              + " not yet observed by the deployment controller (is kube-controller-manager"
              + " running?)");
    }
    var progressing = condition(deployment, "Progressing");
    if (progressing.isPresent()
        && "False".equals(progressing.get().getStatus())
        && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
      return Verdict.notOk(
          "ProgressDeadlineExceeded",
          component
              + ": Deployment "
              + name
              + " exceeded its progress deadline: "
              + Objects.toString(progressing.get().getMessage(), "no message"));
    }
    var replicaFailure = condition(deployment, "ReplicaFailure");
    if (replicaFailure.isPresent() && "True".equals(replicaFailure.get().getStatus())) {
      return Verdict.notOk(
          "ReplicaFailure",
          component
              + ": Deployment "
              + name
              + " cannot create pods: "
              + Objects.toString(replicaFailure.get().getMessage(), "no message"));
    }
    int updated = orZero(status.getUpdatedReplicas());
    int total = orZero(status.getReplicas());
    int available = orZero(status.getAvailableReplicas());
    if (updated < replicas) {
      return Verdict.notOk(
          notReadyReason,
          component + ": rolling out, " + updated + "/" + replicas + " pods updated");
    }
    if (total > updated) {
      return Verdict.notOk(
          notReadyReason,
          component + ": rolling out, " + (total - updated) + " old pod(s) still running");
    }
    if (available < replicas) {
      return Verdict.notOk(
          notReadyReason,
          component
              + ": "
              + available
              + "/"
              + replicas
              + " pods available (check the pods' events and /ready on the management port)");
    }
    return Verdict.ok(
        "Available", component + ": " + replicas + "/" + replicas + " pods available");
  }

  /**
   * Pods with a container waiting for a reason that will not pass by itself, named with the reason
   * and the kubelet's message; empty when there is none.
   */
  static Optional<Verdict> stuckPods(String component, List<Pod> pods) {
    List<String> stuck = new ArrayList<>();
    String reason = null;
    for (Pod pod :
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
      if (pod.getStatus() == null) {
        continue;
      }
      var statuses =
          Stream.concat(
                  orEmpty(pod.getStatus().getInitContainerStatuses()).stream(),
                  orEmpty(pod.getStatus().getContainerStatuses()).stream())
              .toList();
      for (ContainerStatus container : statuses) {
        var waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting != null && STUCK_WAITING.contains(waiting.getReason())) {
          reason = reason == null ? waiting.getReason() : reason;
          stuck.add(
              "pod "
                  + pod.getMetadata().getName()
                  + " "
                  + waiting.getReason()
                  + " (container "
                  + container.getName()
                  + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())
                  + ")");
        }
      }
    }
    return stuck.isEmpty()
        ? Optional.empty()
        : Optional.of(Verdict.notOk(reason, component + ": " + String.join(", ", stuck)));
  }

  static int readyReplicas(Deployment deployment) {
    return deployment == null || deployment.getStatus() == null
        ? 0
        : orZero(deployment.getStatus().getReadyReplicas());
  }

  private static Optional<DeploymentCondition> condition(Deployment deployment, String type) {
    return orEmpty(deployment.getStatus().getConditions()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
