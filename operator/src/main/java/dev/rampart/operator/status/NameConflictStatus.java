package dev.rampart.operator.status;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import java.util.List;
import java.util.Optional;

/**
 * The status of a system none of whose children were applied because some already belong to another
 * system: Ready False, reason {@value #REASON}, naming each child and its owner.
 */
public final class NameConflictStatus {
  public static final String REASON = "NameConflict";

  private NameConflictStatus() {}

  public static MicroserviceSystemStatus of(
      MicroserviceSystem system, List<String> conflicts, String now) {
    var status =
        Optional.ofNullable(system.getStatus())
            .map(MicroserviceSystemStatus::copy)
            .orElseGet(MicroserviceSystemStatus::new);
    var previous = List.copyOf(status.conditions);
    status.observedGeneration = system.getMetadata().getGeneration();
    status.conditions =
        SystemConditions.replace(
            previous,
            SystemConditions.of(
                SystemConditions.READY,
                false,
                REASON,
                "nothing applied: "
                    + String.join("; ", conflicts)
                    + ". Children are named <system>-<service>, <system>-<topic>, <system>-gateway"
                    + " and <system>-deny-all; rename this system (or the service or topic) so no"
                    + " name is another system's",
                system.getMetadata().getGeneration(),
                previous,
                now));
    return status;
  }
}
