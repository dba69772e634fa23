package dev.rampart.e2e.pods;

/**
 * A pod that cannot start, with the waiting reason a kubelet would report (e.g.
 * CreateContainerConfigError).
 */
final class PodStartException extends RuntimeException {
  private final String reason;

  PodStartException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
