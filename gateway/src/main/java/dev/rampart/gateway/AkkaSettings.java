package dev.rampart.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.rampart.contract.Labels;
import java.util.List;
import java.util.Map;

/**
 * The Akka configuration that follows from a {@link GatewayConfig}: static upstream endpoints
 * become config-discovery entries, discovery names use kubernetes-api (pods by label, raw pod IPs),
 * layered over application.conf.
 */
final class AkkaSettings {
  private AkkaSettings() {}

  static Config of(GatewayConfig config) {
    Config c = ConfigFactory.empty();
    for (Map.Entry<String, List<GatewayConfig.HostPort>> e : config.peerEndpoints().entrySet()) {
      List<Map<String, Object>> endpoints =
          e.getValue().stream()
              .map(hp -> Map.<String, Object>of("host", hp.host(), "port", hp.port()))
              .toList();
      c =
          c.withValue(
              "akka.discovery.config.services.\"" + e.getKey() + "\".endpoints",
              ConfigValueFactory.fromIterable(endpoints));
    }
    GatewayConfig.KubernetesApi k = config.kubernetesApi();
    c =
        c.withValue(
                "akka.discovery.kubernetes-api.pod-label-selector",
                ConfigValueFactory.fromAnyRef(Labels.DISCOVERY_SELECTOR_TEMPLATE))
            .withValue(
                "akka.discovery.kubernetes-api.use-raw-ip", ConfigValueFactory.fromAnyRef(true))
            .withValue(
                "akka.discovery.kubernetes-api.api-token-path",
                ConfigValueFactory.fromAnyRef(k.tokenPath()))
            .withValue(
                "akka.discovery.kubernetes-api.api-ca-path",
                ConfigValueFactory.fromAnyRef(k.caPath()));
    if (!k.namespace().isBlank())
      c =
          c.withValue(
              "akka.discovery.kubernetes-api.pod-namespace",
              ConfigValueFactory.fromAnyRef(k.namespace()));
    c =
        c.withValue(
            "akka.http.server.parsing.max-content-length",
            ConfigValueFactory.fromAnyRef(Math.max(config.maxBodyBytes(), 1024) * 4));
    // room for plain requests next to the most streams the pod holds open
    c =
        c.withValue(
            "akka.http.server.max-connections",
            ConfigValueFactory.fromAnyRef(config.rateLimit().streamsPerPod() + 256));
    return c.withFallback(ConfigFactory.load());
  }
}
