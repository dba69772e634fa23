package dev.rampart.operator.reconciler;

import dev.rampart.operator.desired.PodDeletionCosts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link PodDeletionCosts} onto the pods whose annotation differs, with a JSON merge patch
 * of that one annotation (under a field manager of its own) and nothing else of the pod. Each
 * patched pod goes into the pod informer's cache as JOSDK's own update, so its watch event triggers
 * no reconcile and the next reconcile sees the new value: a second pass patches nothing.
 */
final class PodDeletionCostPatches {
  static final String FIELD_MANAGER = "rampart-pod-deletion-cost";
  static final String PATCHES_METRIC = "rampart.pod.deletion.cost.patches";
  private static final Logger log = LoggerFactory.getLogger(PodDeletionCostPatches.class);
  private final Counter patches;

  PodDeletionCostPatches(MeterRegistry registry) {
    this.patches =
        Counter.builder(PATCHES_METRIC)
            .description("pods whose " + PodDeletionCosts.ANNOTATION + " the operator patched")
            .register(registry);
  }

  /** Patches the pods whose annotation differs from {@code costs}; returns how many it patched. */
  int apply(
      KubernetesClient client,
      Collection<Pod> pods,
      Map<String, String> costs,
      InformerEventSource<Pod, ?> informer) {
    int patched = 0;
    for (Pod pod : pods) {
      String cost = costs.get(pod.getMetadata().getName());
      if (cost != null && PodDeletionCosts.differs(pod, cost)) {
        if (patch(client, pod, cost, informer)) {
          patched++;
        }
      }
    }
    return patched;
  }

  private boolean patch(
      KubernetesClient client, Pod pod, String cost, InformerEventSource<Pod, ?> informer) {
    String body =
        Serialization.asJson(
            Map.of("metadata", Map.of("annotations", Map.of(PodDeletionCosts.ANNOTATION, cost))));
    try {
      Pod updated =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .patch(
                  new PatchContext.Builder()
                      .withPatchType(PatchType.JSON_MERGE)
                      .withFieldManager(FIELD_MANAGER)
                      .build(),
                  body);
      patches.increment();
      informer.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, pod);
      return true;
    } catch (KubernetesClientException e) {
      // deletion order is an optimisation: a failed patch must not fail the reconcile
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        log.warn(
            "{}/{}: setting {} failed",
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            PodDeletionCosts.ANNOTATION,
            e);
      }
      return false;
    }
  }
}
