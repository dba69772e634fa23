package dev.rampart.operator.reconciler;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ChildNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Children this system would apply that another MicroserviceSystem already owns (see {@link
 * ChildNames} for why names can collide across systems). Server-side apply would otherwise take the
 * object over and the two systems would fight over it. Read from the dependents' informer caches:
 * no request to the API server.
 */
final class OwnershipConflicts {
  private static final String KIND = HasMetadata.getKind(MicroserviceSystem.class);
  private static final String GROUP = MicroserviceSystem.GROUP + "/";

  private OwnershipConflicts() {}

  /** One line per child owned elsewhere, e.g. "Service a-b-c is owned by MicroserviceSystem a". */
  static List<String> of(MicroserviceSystem system, Context<MicroserviceSystem> context) {
    List<String> conflicts = new ArrayList<>();
    ChildNames.of(system)
        .forEach((kind, names) -> conflicts.addAll(of(system, context, kind, names)));
    return conflicts;
  }

  private static <R extends HasMetadata> List<String> of(
      MicroserviceSystem system,
      Context<MicroserviceSystem> context,
      Class<R> kind,
      List<String> names) {
    String namespace = system.getMetadata().getNamespace();
    List<String> conflicts = new ArrayList<>();
    // none when the kind's dependent is inactive (its CRD is not installed)
    for (var source : context.eventSourceRetriever().getEventSourcesFor(kind)) {
      if (source instanceof InformerEventSource<R, MicroserviceSystem> informer) {
        for (String name : names) {
          informer
              .get(new ResourceID(name, namespace))
              .flatMap(OwnershipConflicts::owningSystem)
              .filter(owner -> !Objects.equals(owner.getUid(), system.getMetadata().getUid()))
              .ifPresent(
                  owner ->
                      conflicts.add(
                          kind.getSimpleName()
                              + " "
                              + name
                              + " is owned by "
                              + owner.getKind()
                              + " "
                              + owner.getName()
                              + (owner.getName().equals(system.name())
                                  ? " (an earlier one, being garbage-collected)"
                                  : "")));
        }
      }
    }
    return conflicts;
  }

  /** JOSDK's ownerReference (not marked controller: any MicroserviceSystem reference counts). */
  private static Optional<OwnerReference> owningSystem(HasMetadata child) {
    var refs = child.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream()
            .filter(r -> KIND.equals(r.getKind()) && r.getApiVersion().startsWith(GROUP))
            .findFirst();
  }
}
