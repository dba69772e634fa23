package dev.rampart.operator.reconciler;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ConfigReferences;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Secrets and ConfigMaps each component (every service, and the gateway) references, read once
 * per reconcile from the informer caches ({@link ReferencedConfigInformers}), and the hash of their
 * data. The Deployment dependent puts the hash on the pod template, so a change rolls the pods; the
 * status names what is missing.
 */
public record ReferencedConfig(Map<String, String> hashByComponent, List<Ref> missing) {
  static final String CONTEXT_KEY = ReferencedConfig.class.getName();
  private static final String NOTHING = hash(new TreeMap<>());

  /** Reads each reference with {@code lookup}: its data, or empty when the object is missing. */
  public static ReferencedConfig read(
      MicroserviceSystem system, Function<Ref, Optional<Map<String, String>>> lookup) {
    Map<Ref, Optional<Map<String, String>>> cache = new LinkedHashMap<>();
    List<Ref> missing = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (var service : system.getSpec().services()) {
      hashes.put(
          service.name, hashOf(ConfigReferences.of(system, service), cache, lookup, missing));
    }
    if (system.getSpec().gatewaySpec().isPresent()) {
      hashes.put(
          Labels.GATEWAY_SERVICE_NAME,
          hashOf(ConfigReferences.ofGateway(system), cache, lookup, missing));
    }
    return new ReferencedConfig(hashes, List.copyOf(missing));
  }

  private static String hashOf(
      Set<Ref> refs,
      Map<Ref, Optional<Map<String, String>>> cache,
      Function<Ref, Optional<Map<String, String>>> lookup,
      List<Ref> missing) {
    TreeMap<String, String> all = new TreeMap<>();
    for (Ref ref : refs) {
      var data = cache.computeIfAbsent(ref, lookup);
      if (data.isEmpty()) {
        if (missing.stream().noneMatch(m -> m.compareTo(ref) == 0)) {
          missing.add(ref);
        }
        all.put(ref.kind() + "/" + ref.name(), "<missing>");
      } else {
        data.get().forEach((k, v) -> all.put(ref.kind() + "/" + ref.name() + "/" + k, v));
      }
    }
    return hash(all);
  }

  /**
   * The config read for this reconcile (by the reconciler, before the workflow), or read now from
   * the informer caches.
   */
  public static ReferencedConfig of(
      MicroserviceSystem system, Context<MicroserviceSystem> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    String namespace = system.getMetadata().getNamespace();
    return shared
        .get(CONTEXT_KEY, ReferencedConfig.class)
        .orElseGet(
            () -> {
              var config =
                  read(
                      system,
                      ref ->
                          ReferencedConfigInformers.cached(context, ref, namespace)
                              .map(ReferencedConfig::dataOf));
              shared.put(CONTEXT_KEY, config);
              return config;
            });
  }

  public String hashOf(String component) {
    return hashByComponent.getOrDefault(component, NOTHING);
  }

  private static Map<String, String> dataOf(HasMetadata object) {
    Map<String, String> data = new TreeMap<>();
    if (object instanceof Secret secret) {
      Optional.ofNullable(secret.getData()).ifPresent(data::putAll);
      Optional.ofNullable(secret.getStringData()).ifPresent(data::putAll);
    } else if (object instanceof ConfigMap map) {
      Optional.ofNullable(map.getData()).ifPresent(data::putAll);
      Optional.ofNullable(map.getBinaryData()).ifPresent(data::putAll);
    }
    return data;
  }

  static String hash(TreeMap<String, String> data) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      data.forEach(
          (k, v) -> {
            digest.update(k.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(v.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
          });
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
