package dev.rampart.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a failure is news, worth a Warning event: it starts, or it changes (another reason or
 * message). The same failure seen again at each retry is not: its Ready condition already says it.
 */
final class NewFailure {
  private NewFailure() {}

  /**
   * @param before the Ready condition before this reconcile, if any
   * @param after the Ready condition this reconcile writes (a failure)
   */
  static boolean of(Optional<Condition> before, Condition after) {
    return before
        .map(
            c ->
                !Objects.equals(c.getReason(), after.getReason())
                    || !Objects.equals(c.getMessage(), after.getMessage()))
        .orElse(true);
  }
}
