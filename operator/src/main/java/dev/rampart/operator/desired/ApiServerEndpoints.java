package dev.rampart.operator.desired;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where pods reach the Kubernetes API server: the ready addresses and TCP ports of the {@code
 * default/kubernetes} EndpointSlice, which the API servers themselves keep current. A NetworkPolicy
 * sees a pod's traffic to the {@code kubernetes} Service after the Service's address has been
 * translated to one of these, so they are what the wall opens. Unknown (empty) when the slice is
 * missing or lists nothing ready.
 */
public record ApiServerEndpoints(List<String> addresses, List<Integer> ports) {
  public static final String NAMESPACE = "default";

  /** The Service and the one slice the API server writes for it carry this name. */
  public static final String NAME = "kubernetes";

  public static final ApiServerEndpoints UNKNOWN = new ApiServerEndpoints(List.of(), List.of());

  public ApiServerEndpoints {
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
  }

  public static ApiServerEndpoints of(Collection<EndpointSlice> slices) {
    var addresses = new TreeSet<String>();
    var ports = new TreeSet<Integer>();
    for (EndpointSlice slice : slices) {
      if (slice.getMetadata().getDeletionTimestamp() != null
          || !List.of("IPv4", "IPv6").contains(slice.getAddressType())) {
        continue;
      }
      if (slice.getEndpoints() != null) {
        slice.getEndpoints().stream()
            .filter(
                e ->
                    e.getConditions() == null
                        || !Boolean.FALSE.equals(e.getConditions().getReady()))
            .filter(e -> e.getAddresses() != null)
            .forEach(e -> addresses.addAll(e.getAddresses()));
      }
      if (slice.getPorts() != null) {
        slice.getPorts().stream()
            .filter(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()))
            .map(p -> p.getPort())
            .filter(Objects::nonNull)
            .forEach(ports::add);
      }
    }
    if (addresses.isEmpty() || ports.isEmpty()) {
      return UNKNOWN;
    }
    return new ApiServerEndpoints(List.copyOf(addresses), List.copyOf(ports));
  }

  public boolean known() {
    return !addresses.isEmpty();
  }

  /** Each address as a single-host CIDR. */
  public List<String> cidrs() {
    return addresses.stream().map(a -> a.contains(":") ? a + "/128" : a + "/32").toList();
  }
}
