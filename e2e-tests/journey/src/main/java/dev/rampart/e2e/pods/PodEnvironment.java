package dev.rampart.e2e.pods;

import dev.rampart.contract.Env;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as a kubelet computes it: envFrom (Secrets, ConfigMaps), env values
 * with $(VAR) expansion, the downward API (fieldRef), Secret and ConfigMap key references, and the
 * variables every container gets for the API server's in-cluster address.
 */
final class PodEnvironment {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private PodEnvironment() {}

  static Map<String, String> of(
      KubernetesClient client,
      Pod pod,
      Container container,
      String podIp,
      String apiServerHost,
      int apiServerPort) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", apiServerHost);
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiServerPort));
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(apiServerPort));
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put(Env.LOCALHOST, ProcessPodRunner.localhostOf(podIp));
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getSecretRef() != null) {
        Secret secret =
            client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
        requirePresent(
            secret, "Secret", from.getSecretRef().getName(), from.getSecretRef().getOptional());
        if (secret != null && secret.getData() != null) {
          secret.getData().forEach((k, v) -> env.put(prefix + k, decode(v)));
        }
      }
      if (from.getConfigMapRef() != null) {
        ConfigMap map =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(from.getConfigMapRef().getName())
                .get();
        requirePresent(
            map,
            "ConfigMap",
            from.getConfigMapRef().getName(),
            from.getConfigMapRef().getOptional());
        if (map != null && map.getData() != null) {
          map.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
    }
    for (EnvVar var : container.getEnv()) {
      String value =
          var.getValueFrom() != null
              ? valueFrom(client, pod, var.getValueFrom(), podIp)
              : expand(var.getValue(), env);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private static String valueFrom(
      KubernetesClient client, Pod pod, EnvVarSource source, String podIp) {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getFieldRef() != null) {
      String path = source.getFieldRef().getFieldPath();
      return switch (path) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        case "metadata.uid" -> pod.getMetadata().getUid();
        case "spec.nodeName" -> pod.getSpec().getNodeName();
        case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
        case "status.podIP", "status.podIPs" -> podIp;
        case "status.hostIP", "status.hostIPs" -> "127.0.0.1";
        default -> labelOrAnnotation(pod, path);
      };
    }
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      requirePresent(secret, "Secret", ref.getName(), ref.getOptional());
      String value =
          secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
      }
      return value == null ? null : decode(value);
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
      requirePresent(map, "ConfigMap", ref.getName(), ref.getOptional());
      String value = map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "couldn't find key "
                + ref.getKey()
                + " in ConfigMap "
                + namespace
                + "/"
                + ref.getName());
      }
      return value;
    }
    if (source.getResourceFieldRef() != null) {
      return "0";
    }
    return null;
  }

  private static String labelOrAnnotation(Pod pod, String path) {
    Matcher m = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
    if (!m.matches()) {
      throw new PodStartException("CreateContainerConfigError", "unsupported fieldRef " + path);
    }
    Map<String, String> source =
        "labels".equals(m.group(1))
            ? pod.getMetadata().getLabels()
            : pod.getMetadata().getAnnotations();
    return source == null ? "" : source.getOrDefault(m.group(2), "");
  }

  private static void requirePresent(Object object, String kind, String name, Boolean optional) {
    if (object == null && !Boolean.TRUE.equals(optional)) {
      throw new PodStartException(
          "CreateContainerConfigError", kind + " \"" + name + "\" not found");
    }
  }

  /** Kubernetes $(VAR) expansion against the variables defined so far; $$ escapes. */
  static String expand(String value, Map<String, String> defined) {
    if (value == null) {
      return "";
    }
    Matcher m = REFERENCE.matcher(value.replace("$$", "\u0000"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = defined.getOrDefault(m.group(1), m.group(0));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString().replace("\u0000", "$");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
