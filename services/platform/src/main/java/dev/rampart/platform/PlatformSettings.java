package dev.rampart.platform;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Localhost;
import dev.rampart.contract.Ports;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service node reads from its environment (the operator↔service contract, {@link Env}),
 * parsed once and validated. Pure: {@link #fromEnv(String, Map)} has no side effects, so it is
 * tested with plain maps.
 */
public record PlatformSettings(
    String system,
    String service,
    String podName,
    String podIp,
    Optional<String> localhost,
    Optional<String> podNamespace,
    int remotingPort,
    int managementPort,
    int grpcPort,
    String discoveryMethod,
    String bootstrapServiceName,
    int requiredContactPoints,
    Optional<String> appVersion,
    String podLabelSelector,
    List<HostPort> contactPoints,
    String kubernetesTokenPath,
    String kubernetesCaPath,
    Map<String, String> peerDiscoveryNames,
    Map<String, List<HostPort>> peerEndpoints,
    JournalSettings journal,
    KafkaSettings kafka,
    String logFormat) {

  public static final String DEFAULT_SYSTEM = "rampart";
  public static final String LOG_JSON = "json";
  public static final String LOG_TEXT = "text";

  /** {@code host:port}. */
  public record HostPort(String host, int port) {
    static HostPort parse(String text, String what) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(what + ": expected host:port, got '" + text + "'");
      }
      return new HostPort(text.substring(0, colon), parsePort(text.substring(colon + 1), what));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * Reads the settings of one node of {@code service} (the default when {@link Env#SERVICE} is
   * unset).
   */
  public static PlatformSettings fromEnv(String service, Map<String, String> env) {
    String system = value(env, Env.SYSTEM).orElse(DEFAULT_SYSTEM);
    String serviceName = value(env, Env.SERVICE).orElse(service);
    String podIp = value(env, Env.POD_IP).orElse("127.0.0.1");
    int managementPort =
        value(env, Env.MANAGEMENT_PORT)
            .map(v -> parsePort(v, Env.MANAGEMENT_PORT))
            .orElse(Ports.MANAGEMENT);
    String discovery = value(env, Env.DISCOVERY_METHOD).orElse(Env.DISCOVERY_CONFIG);
    if (!discovery.equals(Env.DISCOVERY_CONFIG) && !discovery.equals(Env.DISCOVERY_KUBERNETES)) {
      throw new IllegalArgumentException(
          Env.DISCOVERY_METHOD
              + " must be '"
              + Env.DISCOVERY_KUBERNETES
              + "' or '"
              + Env.DISCOVERY_CONFIG
              + "', got '"
              + discovery
              + "'");
    }
    List<HostPort> contactPoints =
        value(env, Env.CONTACT_POINTS)
            .map(
                v -> list(v, ",").stream().map(p -> HostPort.parse(p, Env.CONTACT_POINTS)).toList())
            .orElse(List.of(new HostPort(podIp, managementPort)));
    int required =
        value(env, Env.REQUIRED_CONTACT_POINTS)
            .map(v -> positive(v, Env.REQUIRED_CONTACT_POINTS))
            .orElse(discovery.equals(Env.DISCOVERY_CONFIG) ? contactPoints.size() : 1);
    String logFormat = value(env, Env.LOG_FORMAT).orElse(LOG_TEXT);
    if (!logFormat.equals(LOG_JSON) && !logFormat.equals(LOG_TEXT)) {
      throw new IllegalArgumentException(
          Env.LOG_FORMAT + " must be 'json' or 'text', got '" + logFormat + "'");
    }
    return new PlatformSettings(
        system,
        serviceName,
        value(env, Env.POD_NAME).orElse(serviceName + "-" + podIp),
        podIp,
        Localhost.extraBind(env),
        value(env, Env.POD_NAMESPACE),
        value(env, Env.REMOTING_PORT)
            .map(v -> parsePort(v, Env.REMOTING_PORT))
            .orElse(Ports.REMOTING),
        managementPort,
        value(env, Env.GRPC_PORT).map(v -> parsePort(v, Env.GRPC_PORT)).orElse(Ports.GRPC),
        discovery,
        value(env, Env.BOOTSTRAP_SERVICE_NAME).orElse(Labels.resourceName(system, serviceName)),
        required,
        value(env, Env.APP_VERSION).map(v -> String.valueOf(positive(v, Env.APP_VERSION))),
        value(env, Env.POD_LABEL_SELECTOR).orElse(Labels.DISCOVERY_SELECTOR_TEMPLATE),
        contactPoints,
        value(env, Env.KUBERNETES_TOKEN_PATH).orElse(Env.DEFAULT_TOKEN_PATH),
        value(env, Env.KUBERNETES_CA_PATH).orElse(Env.DEFAULT_CA_PATH),
        value(env, Env.PEERS).map(v -> pairs(v, Env.PEERS)).orElse(Map.of()),
        value(env, Env.PEER_ENDPOINTS).map(PlatformSettings::peerEndpoints).orElse(Map.of()),
        JournalSettings.fromEnv(env, Labels.resourceName(system, serviceName)),
        KafkaSettings.fromEnv(env),
        logFormat);
  }

  public boolean kubernetesDiscovery() {
    return discoveryMethod.equals(Env.DISCOVERY_KUBERNETES);
  }

  static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  static List<String> list(String text, String separator) {
    return Arrays.stream(text.split(java.util.regex.Pattern.quote(separator)))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static Map<String, String> pairs(String text, String what) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String pair : list(text, ",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException(what + ": expected name=value, got '" + pair + "'");
      }
      result.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return Map.copyOf(result);
  }

  private static Map<String, List<HostPort>> peerEndpoints(String text) {
    Map<String, List<HostPort>> result = new LinkedHashMap<>();
    pairs(text, Env.PEER_ENDPOINTS)
        .forEach(
            (peer, endpoints) -> {
              List<HostPort> parsed = new ArrayList<>();
              for (String endpoint : list(endpoints, "|")) {
                parsed.add(HostPort.parse(endpoint, Env.PEER_ENDPOINTS + " (" + peer + ")"));
              }
              result.put(peer, List.copyOf(parsed));
            });
    return Map.copyOf(result);
  }

  private static int parsePort(String text, String what) {
    int port = positive(text, what);
    if (port > 65535) {
      throw new IllegalArgumentException(what + ": port out of range: " + text);
    }
    return port;
  }

  private static int positive(String text, String what) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n <= 0) {
        throw new IllegalArgumentException(what + ": must be positive, got " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": not a number: '" + text + "'", e);
    }
  }
}
