package dev.rampart.operator.reconciler;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.ConfigReferences;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads, once per reconcile, the Secrets and ConfigMaps each service references and hashes their
 * data. The Deployment dependent puts the hash on the pod template; the status names what is
 * missing. The gateway's JWKS Secret is only checked for existence (not hashed: see {@link
 * ConfigReferences}).
 */
public record ReferencedConfig(Map<String, String> hashByComponent, List<Ref> missing) {
  static final String CONTEXT_KEY = ReferencedConfig.class.getName();
  private static final String NOTHING = hash(new TreeMap<>());

  public static ReferencedConfig read(MicroserviceSystem system, KubernetesClient client) {
    String namespace = system.getMetadata().getNamespace();
    Map<Ref, Map<String, String>> cache = new LinkedHashMap<>();
    List<Ref> missing = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (var service : system.getSpec().services()) {
      Set<Ref> refs = ConfigReferences.of(system, service);
      TreeMap<String, String> all = new TreeMap<>();
      for (Ref ref : refs) {
        var data = cache.computeIfAbsent(ref, r -> fetch(client, namespace, r));
        if (data == null) {
          if (missing.stream().noneMatch(m -> m.compareTo(ref) == 0)) {
            missing.add(ref);
          }
          all.put(ref.kind() + "/" + ref.name(), "<missing>");
        } else {
          data.forEach((k, v) -> all.put(ref.kind() + "/" + ref.name() + "/" + k, v));
        }
      }
      hashes.put(service.name, hash(all));
    }
    for (Ref ref : ConfigReferences.ofGateway(system)) {
      if (cache.computeIfAbsent(ref, r -> fetch(client, namespace, r)) == null
          && !missing.contains(ref)) {
        missing.add(ref);
      }
    }
    return new ReferencedConfig(hashes, List.copyOf(missing));
  }

  /** The config read for this reconcile (by the reconciler, before the workflow), or read now. */
  public static ReferencedConfig of(
      MicroserviceSystem system, Context<MicroserviceSystem> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    return shared
        .get(CONTEXT_KEY, ReferencedConfig.class)
        .orElseGet(
            () -> {
              var config = read(system, context.getClient());
              shared.put(CONTEXT_KEY, config);
              return config;
            });
  }

  public String hashOf(String component) {
    return hashByComponent.getOrDefault(component, NOTHING);
  }

  private static Map<String, String> fetch(KubernetesClient client, String namespace, Ref ref) {
    if (Ref.SECRET.equals(ref.kind())) {
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
      if (secret == null) {
        return null;
      }
      Map<String, String> data = new TreeMap<>();
      if (secret.getData() != null) {
        data.putAll(secret.getData());
      }
      if (secret.getStringData() != null) {
        data.putAll(secret.getStringData());
      }
      return data;
    }
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.name()).get();
    if (map == null) {
      return null;
    }
    Map<String, String> data = new TreeMap<>();
    if (map.getData() != null) {
      data.putAll(map.getData());
    }
    if (map.getBinaryData() != null) {
      data.putAll(map.getBinaryData());
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
