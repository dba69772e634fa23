package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NewFailureTest {
  private static final Condition FAILING =
      ready("False", MicroserviceSystemReconciler.FAILED, "reconcile failed: quota (retrying)");

  @Test
  void aFailureAfterReadinessIsNew() {
    assertThat(NewFailure.of(Optional.of(ready("True", "Ready", "all ready")), FAILING)).isTrue();
  }

  @Test
  void aFirstFailureIsNew() {
    assertThat(NewFailure.of(Optional.empty(), FAILING)).isTrue();
  }

  @Test
  void theSameFailureAtTheNextRetryIsNot() {
    var again =
        ready("False", MicroserviceSystemReconciler.FAILED, "reconcile failed: quota (retrying)");
    assertThat(NewFailure.of(Optional.of(FAILING), again)).isFalse();
  }

  @Test
  void aFailureWithAnotherMessageIsNew() {
    var other =
        ready("False", MicroserviceSystemReconciler.FAILED, "reconcile failed: webhook (retrying)");
    assertThat(NewFailure.of(Optional.of(FAILING), other)).isTrue();
  }

  @Test
  void theSameMessageForAnotherReasonIsNew() {
    var other = ready("False", "NameConflict", FAILING.getMessage());
    assertThat(NewFailure.of(Optional.of(FAILING), other)).isTrue();
  }

  private static Condition ready(String status, String reason, String message) {
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .build();
  }
}
