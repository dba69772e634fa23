package dev.rampart.contract;

/**
 * How long a pod may take to stop. The platform's coordinated shutdown runs its phases in sequence,
 * each bounded by its timeout; the pod's grace period covers all of them in the worst case, plus
 * the JVM's exit. The platform's {@code CoordinatedShutdownBudgetTest} derives this figure from the
 * configured phases and fails when a phase timeout changes without it.
 */
public final class Shutdown {
  /** Sum of the platform's coordinated-shutdown phase timeouts, in seconds. */
  public static final int PHASE_TIMEOUTS_SECONDS = 85;

  /** After the last phase: the JVM's shutdown hooks and exit. */
  public static final int EXIT_MARGIN_SECONDS = 5;

  /** The pods' {@code terminationGracePeriodSeconds}. */
  public static final int TERMINATION_GRACE_SECONDS = PHASE_TIMEOUTS_SECONDS + EXIT_MARGIN_SECONDS;

  private Shutdown() {}
}
