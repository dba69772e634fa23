package dev.rampart.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Akka configuration of one node, derived from {@link PlatformSettings}. Layers, highest first:
 * system properties, the caller's overrides (tests), the environment ({@link #fromSettings}), the
 * service's {@code application.conf}, the platform defaults ({@code rampart-platform.conf}), the
 * libraries' reference.conf.
 */
public final class PlatformConfig {
  /** Config discovery name under which static gRPC endpoints of a peer are listed. */
  static String peerDiscoveryName(String peer) {
    return "rampart-peer-" + peer;
  }

  public static Config load(PlatformSettings settings, Config overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.defaultOverrides()
        .withFallback(overrides)
        .withFallback(fromSettings(settings))
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(
            ConfigFactory.parseResources(
                PlatformConfig.class.getClassLoader(), "rampart-platform.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /** Only the values that come from the environment (pure). */
  public static Config fromSettings(PlatformSettings s) {
    Map<String, Object> c = new HashMap<>();
    c.put("rampart.system", s.system());
    c.put("rampart.service", s.service());
    c.put("rampart.pod-name", s.podName());

    // Remoting: advertise and bind the pod IP, so several pods can share one machine (and one port
    // number).
    c.put("akka.remote.artery.canonical.hostname", s.podIp());
    c.put("akka.remote.artery.canonical.port", s.remotingPort());
    c.put("akka.remote.artery.bind.hostname", s.podIp());
    c.put("akka.remote.artery.bind.port", s.remotingPort());

    // Akka Management: contact point for bootstrap, health and metrics.
    c.put("akka.management.http.hostname", s.podIp());
    c.put("akka.management.http.port", s.managementPort());
    c.put("akka.management.http.bind-hostname", s.podIp());
    c.put("akka.management.http.bind-port", s.managementPort());
    c.put("akka.management.health-checks.readiness-path", Probes.READY.substring(1));
    c.put("akka.management.health-checks.liveness-path", Probes.ALIVE.substring(1));

    // gRPC server
    c.put("rampart.grpc.interface", s.podIp());
    c.put("rampart.grpc.port", s.grpcPort());

    // Cluster bootstrap
    String bootstrap = "akka.management.cluster.bootstrap.contact-point-discovery.";
    c.put("akka.discovery.method", s.discoveryMethod());
    c.put(bootstrap + "discovery-method", s.discoveryMethod());
    c.put(bootstrap + "service-name", s.bootstrapServiceName());
    c.put(bootstrap + "required-contact-point-nr", s.requiredContactPoints());
    // Rises with every rollout: sharding allocates new shards to the newest nodes only.
    s.appVersion().ifPresent(v -> c.put("akka.cluster.app-version", v));
    if (s.kubernetesDiscovery()) {
      c.put(bootstrap + "port-name", Ports.MANAGEMENT_NAME);
      c.put(bootstrap + "protocol", "tcp");
      String k8s = "akka.discovery.kubernetes-api.";
      c.put(k8s + "use-raw-ip", true);
      c.put(k8s + "pod-label-selector", s.podLabelSelector());
      c.put(k8s + "api-token-path", s.kubernetesTokenPath());
      c.put(k8s + "api-ca-path", s.kubernetesCaPath());
      s.podNamespace().ifPresent(ns -> c.put(k8s + "pod-namespace", ns));
    } else {
      c.put(
          "akka.discovery.config.services." + quote(s.bootstrapServiceName()) + ".endpoints",
          endpoints(s.contactPoints()));
    }

    // gRPC peers listed with static endpoints are resolved through config discovery.
    s.peerEndpoints()
        .forEach(
            (peer, endpoints) ->
                c.put(
                    "akka.discovery.config.services."
                        + quote(peerDiscoveryName(peer))
                        + ".endpoints",
                    endpoints(endpoints)));

    // Journal, snapshots and read journal share one pool; projections use connections from it too.
    JournalSettings j = s.journal();
    String db = "akka-persistence-jdbc.shared-databases.rampart.";
    c.put(db + "profile", j.dialect().slickProfile);
    c.put(db + "db.url", j.url());
    c.put(db + "db.user", j.user());
    c.put(db + "db.password", j.password());
    c.put(db + "db.driver", j.dialect().driver);
    c.put("akka.projection.jdbc.dialect", j.dialect().projectionDialect);

    s.kafka()
        .bootstrapServers()
        .ifPresent(b -> c.put("akka.kafka.producer.kafka-clients.bootstrap.servers", b));
    s.kafka()
        .bootstrapServers()
        .ifPresent(b -> c.put("akka.kafka.consumer.kafka-clients.bootstrap.servers", b));
    c.put("rampart.log-format", s.logFormat());
    return ConfigFactory.parseMap(c, "environment (" + s.service() + "@" + s.podIp() + ")");
  }

  private static List<Map<String, Object>> endpoints(List<PlatformSettings.HostPort> hostPorts) {
    return hostPorts.stream()
        .map(hp -> Map.<String, Object>of("host", hp.host(), "port", hp.port()))
        .toList();
  }

  private static String quote(String key) {
    return "\"" + key + "\""; // a discovery name may contain dots
  }

  private PlatformConfig() {}
}
