package dev.rampart.operator.desired;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The narrowest NetworkPolicy peer for a host the CR names (a Kafka bootstrap server, the JDBC
 * host), read from the name alone:
 *
 * <ul>
 *   <li>an IPv4 address: that address ({@code /32});
 *   <li>a Service name, {@code svc} (the system's namespace), {@code svc.ns}, {@code svc.ns.svc} or
 *       {@code svc.ns.svc.<cluster domain>}: every pod of that namespace (Kafka brokers are reached
 *       by their own pod names after bootstrap, in the same namespace);
 *   <li>anything else (a name outside the cluster): empty, i.e. any address, because a
 *       NetworkPolicy cannot name a DNS host.
 * </ul>
 */
final class EgressPeers {
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
  private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})(\\.\\d{1,3}){3}$");

  private EgressPeers() {}

  static Optional<NetworkPolicyPeer> forHost(String host, String systemNamespace) {
    String h = host.trim().toLowerCase(java.util.Locale.ROOT);
    if (IPV4.matcher(h).matches()) {
      return Optional.of(
          new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(h + "/32").endIpBlock().build());
    }
    String[] labels = h.split("\\.");
    if (labels.length == 1) {
      return Optional.of(namespace(systemNamespace));
    }
    if (labels.length == 2 || "svc".equals(labels[2])) {
      return Optional.of(namespace(labels[1]));
    }
    return Optional.empty();
  }

  static NetworkPolicyPeer namespace(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, namespace))
        .endNamespaceSelector()
        .build();
  }
}
