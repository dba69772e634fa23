package dev.rampart.operator;

import dev.rampart.contract.Labels;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own knobs, from its environment (set by the Helm chart).
 *
 * @param namespaces namespaces to watch; empty = all
 * @param leaseNamespace where the leader-election Lease lives; empty = no leader election (a single
 *     replica)
 * @param leaseName the Lease's name (the chart names it after the Helm release)
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param identity this replica's name in the Lease (the pod name)
 * @param exitOnFatalError stop the process when leadership is lost or an informer fails for good
 *     (the pod is restarted); false for an operator embedded in another JVM, such as a test's,
 *     which must never call System.exit
 */
public record OperatorSettings(
    Set<String> namespaces,
    Optional<String> leaseNamespace,
    String leaseName,
    int httpPort,
    String identity,
    boolean exitOnFatalError) {
  /** Comma-separated namespaces to watch; absent or empty: all namespaces. */
  public static final String WATCH_NAMESPACES = "RAMPART_WATCH_NAMESPACES";

  /** "false" turns leader election off (default on when the pod namespace is known). */
  public static final String LEADER_ELECTION = "RAMPART_LEADER_ELECTION";

  /** Namespace of the operator pod (downward API); the Lease is created there. */
  public static final String POD_NAMESPACE = "POD_NAMESPACE";

  /** Name of the operator pod (downward API): its identity in the Lease. */
  public static final String POD_NAME = "POD_NAME";

  public static final String HTTP_PORT = "RAMPART_OPERATOR_HTTP_PORT";

  /** Name of the leader-election Lease; default {@link #DEFAULT_LEASE_NAME}. */
  public static final String LEASE_NAME = "RAMPART_LEASE_NAME";

  public static final String DEFAULT_LEASE_NAME = "rampart-operator-leader";

  public static OperatorSettings fromEnv(Map<String, String> env) {
    Set<String> namespaces =
        Arrays.stream(env.getOrDefault(WATCH_NAMESPACES, "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    boolean election = !"false".equalsIgnoreCase(env.getOrDefault(LEADER_ELECTION, "true"));
    Optional<String> lease =
        election
            ? Optional.ofNullable(env.get(POD_NAMESPACE)).filter(s -> !s.isBlank())
            : Optional.empty();
    int port = Integer.parseInt(env.getOrDefault(HTTP_PORT, "8080"));
    String identity =
        env.getOrDefault(POD_NAME, env.getOrDefault("HOSTNAME", Labels.OPERATOR_NAME));
    String leaseName = env.getOrDefault(LEASE_NAME, "").trim();
    return new OperatorSettings(
        namespaces,
        lease,
        leaseName.isEmpty() ? DEFAULT_LEASE_NAME : leaseName,
        port,
        identity,
        true);
  }

  public static OperatorSettings allNamespacesNoElection(int httpPort) {
    return new OperatorSettings(
        Set.of(), Optional.empty(), DEFAULT_LEASE_NAME, httpPort, Labels.OPERATOR_NAME, false);
  }

  public OperatorSettings withLeaderElection(String leaseNamespace, String identity) {
    return new OperatorSettings(
        namespaces, Optional.of(leaseNamespace), leaseName, httpPort, identity, false);
  }
}
