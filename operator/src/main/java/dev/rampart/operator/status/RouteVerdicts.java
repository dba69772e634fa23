package dev.rampart.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's route: an Ingress counts once it exists; an HTTPRoute only once every Gateway it
 * names reports it {@code Accepted} and its backends resolved ({@code ResolvedRefs}), for the
 * route's current generation.
 */
final class RouteVerdicts {
  static final String NOT_ACCEPTED = "RouteNotAccepted";
  private static final List<String> REQUIRED = List.of("Accepted", "ResolvedRefs");

  private RouteVerdicts() {}

  static Verdict of(Optional<HasMetadata> route, String notReadyReason) {
    if (route.isEmpty()) {
      return Verdict.notOk(notReadyReason, "the gateway's HTTPRoute/Ingress does not exist yet");
    }
    if (!(route.get() instanceof HTTPRoute httpRoute)) {
      return Verdict.ok("RouteExists", "Ingress " + route.get().getMetadata().getName());
    }
    String name = httpRoute.getMetadata().getName();
    var parentRefs =
        httpRoute.getSpec() == null || httpRoute.getSpec().getParentRefs() == null
            ? List.<ParentReference>of()
            : httpRoute.getSpec().getParentRefs();
    if (parentRefs.isEmpty()) {
      return Verdict.notOk(
          notReadyReason,
          "the HTTPRoute has no parentRefs: set spec.gateway.parentRefs to the Gateway to attach"
              + " to");
    }
    List<String> problems = new ArrayList<>();
    for (ParentReference ref : parentRefs) {
      String namespace =
          Objects.requireNonNullElse(ref.getNamespace(), httpRoute.getMetadata().getNamespace());
      String gateway = namespace + "/" + ref.getName();
      var parent = parentStatus(httpRoute, ref, namespace);
      if (parent.isEmpty()) {
        problems.add(
            "Gateway "
                + gateway
                + " has not reported on it yet (is the Gateway there and its controller"
                + " running?)");
        continue;
      }
      for (String type : REQUIRED) {
        var condition =
            Optional.ofNullable(parent.get().getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
        if (condition.isEmpty() || !current(condition.get(), httpRoute)) {
          problems.add(
              "Gateway " + gateway + " has not reported " + type + " for the current spec");
        } else if (!"True".equals(condition.get().getStatus())) {
          problems.add(
              "Gateway "
                  + gateway
                  + ": "
                  + type
                  + " "
                  + condition.get().getStatus()
                  + " ("
                  + condition.get().getReason()
                  + ": "
                  + Objects.toString(condition.get().getMessage(), "no message")
                  + ")");
        }
      }
    }
    return problems.isEmpty()
        ? Verdict.ok("RouteAccepted", "HTTPRoute " + name + " accepted")
        : Verdict.notOk(NOT_ACCEPTED, "HTTPRoute " + name + ": " + String.join("; ", problems));
  }

  private static Optional<RouteParentStatus> parentStatus(
      HTTPRoute route, ParentReference ref, String namespace) {
    if (route.getStatus() == null || route.getStatus().getParents() == null) {
      return Optional.empty();
    }
    return route.getStatus().getParents().stream()
        .filter(
            p ->
                p.getParentRef() != null
                    && Objects.equals(p.getParentRef().getName(), ref.getName())
                    && Objects.equals(
                        Objects.requireNonNullElse(
                            p.getParentRef().getNamespace(), route.getMetadata().getNamespace()),
                        namespace)
                    && Objects.equals(p.getParentRef().getSectionName(), ref.getSectionName()))
        .findFirst();
  }

  private static boolean current(Condition condition, HTTPRoute route) {
    Long generation = route.getMetadata().getGeneration();
    return generation == null
        || condition.getObservedGeneration() == null
        || condition.getObservedGeneration() >= generation;
  }
}
