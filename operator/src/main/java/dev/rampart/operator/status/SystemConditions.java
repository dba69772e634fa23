package dev.rampart.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The condition types of a MicroserviceSystem, and how a new condition keeps its last transition
 * time.
 */
public final class SystemConditions {
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";
  public static final String SERVICES_READY = "ServicesReady";
  public static final String TOPICS_READY = "TopicsReady";
  public static final String GATEWAY_READY = "GatewayReady";
  public static final String PAUSED = "Paused";

  private SystemConditions() {}

  public static Condition of(
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      List<Condition> previous,
      String now) {
    String value = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  static List<Condition> replace(List<Condition> conditions, Condition condition) {
    List<Condition> result = new ArrayList<>();
    conditions.stream().filter(c -> !c.getType().equals(condition.getType())).forEach(result::add);
    result.add(condition);
    return result;
  }
}
