package dev.rampart.e2e.chart;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The rights the operator needs, written out once as the chart's contract (one line per permission,
 * see {@link RenderedChart#permissions}). The chart's RBAC must equal these exactly: a new right is
 * a deliberate change here, and {@code OperatorUnderChartRbacTest} proves the operator manages with
 * no more.
 */
final class OperatorPermissions {
  private OperatorPermissions() {}

  private static final List<String> OWNED =
      List.of(
          "apps deployments",
          "core services",
          "core serviceaccounts",
          "rbac.authorization.k8s.io roles",
          "rbac.authorization.k8s.io rolebindings",
          "policy poddisruptionbudgets",
          "autoscaling horizontalpodautoscalers",
          "networking.k8s.io networkpolicies",
          "networking.k8s.io ingresses",
          "kafka.strimzi.io kafkatopics",
          "gateway.networking.k8s.io httproutes");
  private static final List<String> OWNED_VERBS =
      List.of("list", "watch", "create", "patch", "delete");

  /** Rights in each watched namespace (or in all of them). */
  static TreeSet<String> namespaced() {
    TreeSet<String> lines = new TreeSet<>();
    lines.add("rampart.dev microservicesystems * get");
    lines.add("rampart.dev microservicesystems * list");
    lines.add("rampart.dev microservicesystems * watch");
    lines.add("rampart.dev microservicesystems * patch");
    lines.add("rampart.dev microservicesystems/status * patch");
    OWNED.forEach(kind -> OWNED_VERBS.forEach(verb -> lines.add(kind + " * " + verb)));
    // patch: the pod-deletion-cost annotation of the service pods
    Stream.of("get", "list", "watch", "patch").forEach(verb -> lines.add("core pods * " + verb));
    Stream.of("secrets", "configmaps")
        .forEach(
            kind ->
                Stream.of("list", "watch")
                    .forEach(verb -> lines.add("core " + kind + " * " + verb)));
    lines.add("core events * create");
    return lines;
  }

  /** Rights on cluster-scoped objects, always in a ClusterRole. */
  static TreeSet<String> clusterScoped() {
    TreeSet<String> lines = new TreeSet<>();
    lines.add("apiextensions.k8s.io customresourcedefinitions kafkatopics.kafka.strimzi.io get");
    Stream.of("list", "watch")
        .forEach(
            verb ->
                lines.add(
                    "apiextensions.k8s.io customresourcedefinitions"
                        + " httproutes.gateway.networking.k8s.io "
                        + verb));
    return lines;
  }

  /** Rights in the operator's own namespace for leader election. */
  static TreeSet<String> leaderElection() {
    TreeSet<String> lines = new TreeSet<>();
    Stream.of("get", "update", "patch")
        .forEach(verb -> lines.add("coordination.k8s.io leases " + Chart.LEASE + " " + verb));
    lines.add("coordination.k8s.io leases * create");
    return lines;
  }

  /** Rights in {@code default}: the API server's own EndpointSlice, for the wall. */
  static TreeSet<String> apiServerEndpoints() {
    TreeSet<String> lines = new TreeSet<>();
    Stream.of("list", "watch")
        .forEach(verb -> lines.add("discovery.k8s.io endpointslices kubernetes " + verb));
    return lines;
  }

  static TreeSet<String> clusterWide() {
    TreeSet<String> lines = new TreeSet<>(namespaced());
    lines.addAll(clusterScoped());
    return lines;
  }
}
