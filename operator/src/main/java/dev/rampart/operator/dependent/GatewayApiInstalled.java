package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;

/**
 * Whether the cluster serves the Gateway API HTTPRoute: the HTTPRoute CRD, watched by name. Its
 * arrival or departure reconciles every system at once, and each reconcile decides the route from
 * one observation ({@link #observe}): an HTTPRoute where the Gateway API is installed, else an
 * Ingress; the other is deleted.
 */
public final class GatewayApiInstalled {
  public static final String HTTP_ROUTE_CRD = "httproutes.gateway.networking.k8s.io";
  static final String SOURCE = "gateway-api-crd";
  private static final String CONTEXT_KEY = GatewayApiInstalled.class.getName();

  private GatewayApiInstalled() {}

  /** An informer on the HTTPRoute CRD alone; any change to it concerns every system. */
  public static InformerEventSource<CustomResourceDefinition, MicroserviceSystem> informer(
      EventSourceContext<MicroserviceSystem> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(
                CustomResourceDefinition.class, MicroserviceSystem.class)
            .withName(SOURCE)
            .withWatchAllNamespaces()
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("metadata.name", HTTP_ROUTE_CRD)))
            .withSecondaryToPrimaryMapper(
                crd ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /**
   * Looks once per reconcile (the CRD informer's cache, established CRD only) and keeps the answer
   * for the rest of it, so the HTTPRoute and the Ingress are decided from the same observation.
   */
  public static boolean observe(Context<MicroserviceSystem> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    return shared
        .get(CONTEXT_KEY, Boolean.class)
        .orElseGet(
            () -> {
              boolean installed = established(context);
              shared.put(CONTEXT_KEY, installed);
              return installed;
            });
  }

  @SuppressWarnings("unchecked")
  private static boolean established(Context<MicroserviceSystem> context) {
    var source =
        (InformerEventSource<CustomResourceDefinition, MicroserviceSystem>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(CustomResourceDefinition.class, SOURCE);
    return source
        .get(new ResourceID(HTTP_ROUTE_CRD))
        .filter(crd -> crd.getMetadata().getDeletionTimestamp() == null)
        .map(
            crd ->
                crd.getStatus() != null
                    && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())))
        .orElse(false);
  }
}
