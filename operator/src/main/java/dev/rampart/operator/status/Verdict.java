package dev.rampart.operator.status;

import java.util.List;
import java.util.Set;

/**
 * One area's answer: ok or not, a machine-readable reason (CamelCase, as in conditions) and a
 * message saying what is missing or broken.
 */
public record Verdict(boolean ok, String reason, String message) {
  /**
   * Reasons that mean something is broken and will not heal by waiting: they make the system
   * Degraded, not just not-Ready-yet.
   */
  public static final Set<String> DEGRADED_REASONS =
      Set.of(
          "ProgressDeadlineExceeded",
          "ReplicaFailure",
          "ClusterSplit",
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "UnsupportedRoute");

  public static Verdict ok(String reason, String message) {
    return new Verdict(true, reason, message);
  }

  public static Verdict notOk(String reason, String message) {
    return new Verdict(false, reason, message);
  }

  public boolean degraded() {
    return !ok && DEGRADED_REASONS.contains(reason);
  }

  /**
   * The verdicts of the parts of one area, as one: ok when every part is ok; otherwise the reason
   * of the first degraded part (else of the first failing one), and every failing part's message.
   */
  static Verdict allOf(List<Verdict> parts, String okReason, String okMessage) {
    var failing = parts.stream().filter(v -> !v.ok()).toList();
    if (failing.isEmpty()) {
      return ok(okReason, okMessage);
    }
    String reason =
        failing.stream().filter(Verdict::degraded).findFirst().orElse(failing.get(0)).reason();
    return notOk(reason, String.join("; ", failing.stream().map(Verdict::message).toList()));
  }
}
