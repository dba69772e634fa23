package dev.rampart.operator.dependent;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the cluster serves the Gateway API HTTPRoute, asked at most every {@link #RECHECK} per
 * API server, so a Gateway API installed later is picked up (the Ingress then gives way to an
 * HTTPRoute).
 */
public final class GatewayApiInstalled {
  static final String HTTP_ROUTE_CRD = "httproutes.gateway.networking.k8s.io";
  static final Duration RECHECK = Duration.ofSeconds(10);

  private record Answer(boolean installed, Instant at) {}

  private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();

  private GatewayApiInstalled() {}

  public static boolean in(KubernetesClient client) {
    String apiServer = client.getConfiguration().getMasterUrl();
    Answer answer =
        ANSWERS.compute(
            apiServer,
            (k, previous) ->
                previous != null && previous.at.plus(RECHECK).isAfter(Instant.now())
                    ? previous
                    : new Answer(
                        client
                                .resources(CustomResourceDefinition.class)
                                .withName(HTTP_ROUTE_CRD)
                                .get()
                            != null,
                        Instant.now()));
    return answer.installed;
  }
}
