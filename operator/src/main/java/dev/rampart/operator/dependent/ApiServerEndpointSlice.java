package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ApiServerEndpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API server's own EndpointSlice ({@code default/kubernetes}), watched by name: the chart
 * grants list and watch on that one object. When the API servers change (a control-plane node is
 * replaced), every system's wall follows at once.
 */
public final class ApiServerEndpointSlice {
  static final String SOURCE = "api-server-endpoint-slice";

  private ApiServerEndpointSlice() {}

  public static InformerEventSource<EndpointSlice, MicroserviceSystem> informer(
      EventSourceContext<MicroserviceSystem> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(EndpointSlice.class, MicroserviceSystem.class)
            .withName(SOURCE)
            .withNamespaces(Set.of(ApiServerEndpoints.NAMESPACE))
            .withFieldSelector(
                new FieldSelector(
                    new FieldSelector.Field("metadata.name", ApiServerEndpoints.NAME)))
            .withSecondaryToPrimaryMapper(
                slice ->
                    context
                        .getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  /** The endpoints as the informer last saw them. */
  @SuppressWarnings("unchecked")
  static ApiServerEndpoints observe(Context<MicroserviceSystem> context) {
    var source =
        (InformerEventSource<EndpointSlice, MicroserviceSystem>)
            context.eventSourceRetriever().getEventSourceFor(EndpointSlice.class, SOURCE);
    return ApiServerEndpoints.of(
        source.get(new ResourceID(ApiServerEndpoints.NAME, ApiServerEndpoints.NAMESPACE)).stream()
            .toList());
  }
}
