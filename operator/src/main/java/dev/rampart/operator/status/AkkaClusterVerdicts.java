package dev.rampart.operator.status;

import dev.rampart.operator.api.v1alpha1.ClusterMembership;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a service's pods form one healthy Akka cluster, from what each pod said: one cluster
 * (same leader, same members Up), nobody unreachable, as many members Up as desired pods, and every
 * desired pod answered.
 */
final class AkkaClusterVerdicts {
  private AkkaClusterVerdicts() {}

  static Verdict of(
      String service, int replicas, List<PodClusterView> views, String notReadyReason) {
    if (views.isEmpty()) {
      return Verdict.notOk(
          notReadyReason,
          service
              + ": Akka membership not known yet (no pod answered on its management port"
              + " /cluster/members)");
    }
    Map<PodClusterView.Cluster, List<String>> podsByCluster = new LinkedHashMap<>();
    views.stream()
        .sorted(Comparator.comparing(PodClusterView::pod))
        .forEach(
            v -> podsByCluster.computeIfAbsent(v.cluster(), c -> new ArrayList<>()).add(v.pod()));
    if (podsByCluster.size() > 1) {
      return Verdict.notOk(
          "ClusterSplit",
          service
              + ": pods disagree on the Akka cluster (split or second cluster): "
              + podsByCluster.entrySet().stream()
                  .map(
                      e ->
                          String.join(", ", e.getValue())
                              + " see leader "
                              + e.getKey().leader()
                              + " with "
                              + e.getKey().upMembers().size()
                              + " member(s) Up")
                  .collect(Collectors.joining("; ")));
    }
    var view = views.get(0);
    if (views.stream().anyMatch(v -> v.unreachable() > 0)) {
      int unreachable = views.stream().mapToInt(PodClusterView::unreachable).max().orElse(0);
      return Verdict.notOk(
          notReadyReason,
          service
              + ": "
              + unreachable
              + " Akka cluster member(s) unreachable (see the pods' logs and /cluster/members)");
    }
    int up = view.upMembers().size();
    if (up != replicas) {
      return Verdict.notOk(
          notReadyReason, service + ": " + up + "/" + replicas + " Akka cluster members Up");
    }
    if (views.size() < replicas) {
      return Verdict.notOk(
          notReadyReason,
          service
              + ": "
              + views.size()
              + "/"
              + replicas
              + " pods answered on /cluster/members (a pod that does not answer may be in"
              + " another cluster)");
    }
    return Verdict.ok("ClusterUp", service + ": " + up + " Akka cluster members Up");
  }

  /** The membership to show in the status: as the first pod (by name) sees it. */
  static Optional<ClusterMembership> shown(List<PodClusterView> views) {
    return views.stream()
        .min(Comparator.comparing(PodClusterView::pod))
        .map(v -> new ClusterMembership(v.upMembers().size(), v.unreachable()));
  }
}
