package dev.rampart.operator.reconciler;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ConfigReferences;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Informers on the Secrets and ConfigMaps of the watched namespaces, so a changed reference
 * reconciles the systems that read it at once (their config hash changes, their pods roll) and a
 * reconcile reads references from the cache, never with a GET. Which systems read an object is
 * answered by an index on the primary cache, from reference to system (as the Keycloak operator
 * does): references carry no label of ours, so the informers cannot be narrowed by a selector.
 */
public final class ReferencedConfigInformers {
  static final String SECRETS = "referenced-secrets";
  static final String CONFIG_MAPS = "referenced-config-maps";
  static final String INDEX = "referenced-config";

  private ReferencedConfigInformers() {}

  /** The two informers; also adds the reference index to the primary cache. */
  public static List<InformerEventSource<?, MicroserviceSystem>> of(
      EventSourceContext<MicroserviceSystem> context) {
    context.getPrimaryCache().addIndexer(INDEX, ReferencedConfigInformers::indexKeys);
    return List.of(
        informer(context, Secret.class, SECRETS, Ref.SECRET),
        informer(context, ConfigMap.class, CONFIG_MAPS, Ref.CONFIG_MAP));
  }

  private static <R extends HasMetadata> InformerEventSource<R, MicroserviceSystem> informer(
      EventSourceContext<MicroserviceSystem> context, Class<R> type, String name, String kind) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, MicroserviceSystem.class)
            .withName(name)
            .withSecondaryToPrimaryMapper(
                (R object) ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            INDEX,
                            key(
                                kind,
                                object.getMetadata().getNamespace(),
                                object.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /** Every object a system's pods read (the services' and the gateway's), as index keys. */
  static List<String> indexKeys(MicroserviceSystem system) {
    String namespace = system.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    try {
      system
          .getSpec()
          .services()
          .forEach(
              s ->
                  ConfigReferences.of(system, s)
                      .forEach(r -> keys.add(key(r.kind(), namespace, r.name()))));
      ConfigReferences.ofGateway(system).forEach(r -> keys.add(key(r.kind(), namespace, r.name())));
    } catch (RuntimeException malformed) {
      // a spec the CRD should have refused: index nothing rather than break the informer
      return List.of();
    }
    return keys.stream().distinct().toList();
  }

  static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  /** The referenced object as the informer last saw it; empty when it does not exist. */
  static Optional<? extends HasMetadata> cached(
      Context<MicroserviceSystem> context, Ref ref, String namespace) {
    var retriever = context.eventSourceRetriever();
    var source =
        Ref.SECRET.equals(ref.kind())
            ? (InformerEventSource<? extends HasMetadata, MicroserviceSystem>)
                retriever.getEventSourceFor(Secret.class, SECRETS)
            : (InformerEventSource<? extends HasMetadata, MicroserviceSystem>)
                retriever.getEventSourceFor(ConfigMap.class, CONFIG_MAPS);
    return source.get(new ResourceID(ref.name(), namespace));
  }
}
