package dev.rampart.operator.desired;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Secrets and ConfigMaps a component's pods read. They go into the component's config-hash
 * annotation, so changing any of them rolls the pods; for the gateway that is its JWKS Secret, so a
 * key rotation takes effect at once rather than at the kubelet's next sync of the mounted file.
 */
public final class ConfigReferences {
  /**
   * One referenced object, and the spec field that references it (for messages a user can act on).
   */
  public record Ref(String kind, String name, String field) implements Comparable<Ref> {
    public static final String SECRET = "Secret";
    public static final String CONFIG_MAP = "ConfigMap";

    /** Read by the gateway's pods (a field under spec.gateway), not the services'. */
    public boolean ofGateway() {
      return field.startsWith(GATEWAY_FIELD + ".");
    }

    @Override
    public int compareTo(Ref o) {
      int byKind = kind.compareTo(o.kind);
      return byKind != 0 ? byKind : name.compareTo(o.name);
    }
  }

  static final String GATEWAY_FIELD = "spec.gateway";
  public static final String JWKS_FIELD = GATEWAY_FIELD + ".auth.jwksSecretRef";
  public static final String EGRESS_FIELD = GATEWAY_FIELD + ".egress";

  private ConfigReferences() {}

  /** What the gateway's pods read: the JWKS Secret, the egress endpoints' CA and credentials. */
  public static Set<Ref> ofGateway(MicroserviceSystem system) {
    var gateway = system.getSpec().gatewaySpec();
    if (gateway.isEmpty()) {
      return Set.of();
    }
    var g = gateway.get();
    List<Ref> refs = new ArrayList<>();
    if (g.auth != null && g.auth.jwksSecretRef != null) {
      refs.add(new Ref(Ref.SECRET, g.auth.jwksSecretRef.name, JWKS_FIELD));
    }
    for (var egress : g.egressList()) {
      String at = EGRESS_FIELD + "[" + egress.name + "]";
      if (egress.caSecretRef != null) {
        refs.add(new Ref(Ref.SECRET, egress.caSecretRef.name, at + ".caSecretRef"));
      }
      if (egress.credentialsSecretRef != null) {
        refs.add(
            new Ref(Ref.SECRET, egress.credentialsSecretRef.name, at + ".credentialsSecretRef"));
      }
    }
    refs.removeIf(r -> r.name() == null || r.name().isEmpty());
    return new TreeSet<>(refs);
  }

  public static Set<Ref> of(MicroserviceSystem system, ServiceSpec service) {
    var spec = system.getSpec();
    List<Ref> refs = new ArrayList<>();
    if (spec.persistence != null
        && spec.persistence.jdbc != null
        && spec.persistence.jdbc.credentialsSecret != null) {
      refs.add(
          new Ref(
              Ref.SECRET,
              spec.persistence.jdbc.credentialsSecret.name,
              "spec.persistence.jdbc.credentialsSecret"));
    }
    spec.kafkaSpec()
        .filter(k -> k.authentication != null && k.authentication.secretRef != null)
        .ifPresent(
            k ->
                refs.add(
                    new Ref(
                        Ref.SECRET,
                        k.authentication.secretRef.name,
                        "spec.kafka.authentication.secretRef")));
    String at = "spec.services[" + service.name + "]";
    if (service.env != null) {
      service.env.stream()
          .filter(e -> e.getValueFrom() != null)
          .forEach(
              e -> {
                var from = e.getValueFrom();
                if (from.getSecretKeyRef() != null
                    && !Boolean.TRUE.equals(from.getSecretKeyRef().getOptional())) {
                  refs.add(
                      new Ref(
                          Ref.SECRET,
                          from.getSecretKeyRef().getName(),
                          at + ".env[" + e.getName() + "]"));
                }
                if (from.getConfigMapKeyRef() != null
                    && !Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional())) {
                  refs.add(
                      new Ref(
                          Ref.CONFIG_MAP,
                          from.getConfigMapKeyRef().getName(),
                          at + ".env[" + e.getName() + "]"));
                }
              });
    }
    if (service.envFrom != null) {
      service.envFrom.forEach(
          e -> {
            if (e.getSecretRef() != null && !Boolean.TRUE.equals(e.getSecretRef().getOptional())) {
              refs.add(new Ref(Ref.SECRET, e.getSecretRef().getName(), at + ".envFrom"));
            }
            if (e.getConfigMapRef() != null
                && !Boolean.TRUE.equals(e.getConfigMapRef().getOptional())) {
              refs.add(new Ref(Ref.CONFIG_MAP, e.getConfigMapRef().getName(), at + ".envFrom"));
            }
          });
    }
    // a reference without a name (rejected by the CRD, but an older CRD let it through) names
    // nothing to read: the Deployment's apply reports it, the hash must not fail on it
    refs.removeIf(r -> r.name() == null || r.name().isEmpty());
    return new TreeSet<>(refs);
  }
}
