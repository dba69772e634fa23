package dev.rampart.operator.desired;

import dev.rampart.contract.Labels;
import dev.rampart.operator.status.PodClusterView;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@value #ANNOTATION} each service pod should carry, from its service's Akka membership. The
 * ReplicaSet controller deletes the pod of lowest cost first among pods it otherwise ranks equal
 * (scheduled, Running, Ready alike), so scale-downs and rollouts take the youngest members first
 * and the oldest member, which hosts the singletons and the shard coordinator, last: they move
 * once.
 *
 * <p>Per service: pods that are not Up members cost 0; the Up members cost 1 (youngest) to n; the
 * member the cluster reports as {@code oldest} costs n whatever its pod's start time; the other
 * members are ordered by their pod's start time (older pod, higher cost; equal times by name). A
 * member's node address ({@code akka://name@<podIP>:port}) is matched to its pod by pod IP. The
 * membership is the one seen by most members (the view with the most Up members, then the first pod
 * by name), so every reconcile computes the same costs from the same views. A service no pod
 * answered for has no entry: its pods are left as they are.
 */
public final class PodDeletionCosts {
  public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

  /** What Kubernetes assumes for a pod without the annotation. */
  public static final String DEFAULT = "0";

  private PodDeletionCosts() {}

  /**
   * Desired cost by pod name, for the live service pods of the services with a known membership.
   */
  public static Map<String, String> of(Collection<Pod> pods, Collection<PodClusterView> views) {
    List<Pod> live = pods.stream().filter(PodDeletionCosts::liveServicePod).toList();
    Set<String> liveNames =
        live.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    // a view polled before its pod went would otherwise outvote the ones that stay until the next
    // poll
    Map<String, List<PodClusterView>> viewsByService =
        views.stream()
            .filter(v -> liveNames.contains(v.pod()))
            .collect(Collectors.groupingBy(PodClusterView::service));
    Map<String, String> costs = new TreeMap<>();
    live.stream()
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(Labels.SERVICE)))
        .forEach(
            (service, servicePods) ->
                reference(viewsByService.getOrDefault(service, List.of()))
                    .ifPresent(view -> costs.putAll(ofService(servicePods, view))));
    return costs;
  }

  /** Whether the pod's annotation differs from the cost (absent counts as {@value #DEFAULT}). */
  public static boolean differs(Pod pod, String cost) {
    var annotations = pod.getMetadata().getAnnotations();
    String current = annotations == null ? null : annotations.get(ANNOTATION);
    return !cost.equals(current == null ? DEFAULT : current);
  }

  private static Map<String, String> ofService(List<Pod> pods, PodClusterView view) {
    Set<String> memberIps =
        view.upMembers().stream().map(PodDeletionCosts::host).collect(Collectors.toSet());
    String oldestIp = view.oldest() == null ? null : host(view.oldest());
    List<Pod> members = new ArrayList<>();
    Map<String, String> costs = new TreeMap<>();
    for (Pod pod : pods) {
      if (memberIps.contains(pod.getStatus() == null ? null : pod.getStatus().getPodIP())) {
        members.add(pod);
      } else {
        costs.put(pod.getMetadata().getName(), DEFAULT);
      }
    }
    // the order of deletion: youngest first, the Akka oldest last
    members.sort(
        Comparator.comparing((Pod p) -> p.getStatus().getPodIP().equals(oldestIp))
            .thenComparing(PodDeletionCosts::started, Comparator.reverseOrder())
            .thenComparing(p -> p.getMetadata().getName(), Comparator.reverseOrder()));
    for (int i = 0; i < members.size(); i++) {
      costs.put(members.get(i).getMetadata().getName(), String.valueOf(i + 1));
    }
    return costs;
  }

  /** The view seen by most members; none when no pod of the service answered. */
  private static Optional<PodClusterView> reference(List<PodClusterView> views) {
    return views.stream()
        .min(
            Comparator.comparing(
                    (PodClusterView v) -> v.upMembers().size(), Comparator.reverseOrder())
                .thenComparing(PodClusterView::pod));
  }

  /** The pod's start time (when the kubelet took it), else its creation; unknown is youngest. */
  private static Instant started(Pod pod) {
    String time = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (time == null) {
      time = pod.getMetadata().getCreationTimestamp();
    }
    return time == null ? Instant.MAX : Instant.parse(time);
  }

  /** {@code akka://order@10.0.0.7:25520} → {@code 10.0.0.7} (an IPv6 address without brackets). */
  static String host(String address) {
    try {
      String host = URI.create(address).getHost();
      return host == null ? address : host.replace("[", "").replace("]", "");
    } catch (IllegalArgumentException e) {
      return address;
    }
  }

  private static boolean liveServicePod(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels != null
        && Labels.COMPONENT_SERVICE.equals(labels.get(Labels.COMPONENT))
        && labels.get(Labels.SERVICE) != null
        && pod.getMetadata().getDeletionTimestamp() == null;
  }
}
