package dev.rampart.e2e.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's volume mounts as directories of the pod's own: Secret and ConfigMap volumes are
 * written out (all keys, or the listed items), emptyDir is an empty directory. Each becomes a bind
 * mount at its mountPath in the pod's mount namespace. Other volume types are a start error that
 * says so.
 */
final class PodVolumes {
  /** A directory to bind at a path inside the pod. */
  record BindMount(Path source, String mountPath, boolean readOnly) {}

  private PodVolumes() {}

  static List<BindMount> materialize(
      KubernetesClient client, Pod pod, Container container, Path podDir) {
    Map<String, Volume> volumes = new LinkedHashMap<>();
    pod.getSpec().getVolumes().forEach(v -> volumes.put(v.getName(), v));
    List<BindMount> mounts = new ArrayList<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new PodStartException(
            "CreateContainerConfigError", "volume mount " + mount.getName() + " names no volume");
      }
      if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "subPath mounts are not supported by the process pod runner");
      }
      Path dir = podDir.resolve("volumes").resolve(volume.getName());
      write(client, pod, volume, dir);
      mounts.add(
          new BindMount(dir, mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
    }
    return mounts;
  }

  private static void write(KubernetesClient client, Pod pod, Volume volume, Path dir) {
    String namespace = pod.getMetadata().getNamespace();
    try {
      Files.createDirectories(dir);
      if (volume.getSecret() != null) {
        Secret secret =
            client
                .secrets()
                .inNamespace(namespace)
                .withName(volume.getSecret().getSecretName())
                .get();
        if (secret == null) {
          if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
            return;
          }
          throw new PodStartException(
              "ContainerCreating",
              "secret \"" + volume.getSecret().getSecretName() + "\" not found");
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        writeKeys(
            dir,
            data,
            volume.getSecret().getItems(),
            true,
            "Secret " + secret.getMetadata().getName());
      } else if (volume.getConfigMap() != null) {
        ConfigMap map =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(volume.getConfigMap().getName())
                .get();
        if (map == null) {
          if (Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
            return;
          }
          throw new PodStartException(
              "ContainerCreating",
              "configmap \"" + volume.getConfigMap().getName() + "\" not found");
        }
        writeKeys(
            dir,
            map.getData() == null ? Map.of() : map.getData(),
            volume.getConfigMap().getItems(),
            false,
            "ConfigMap " + map.getMetadata().getName());
      } else if (volume.getEmptyDir() == null) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "volume "
                + volume.getName()
                + ": only secret, configMap and emptyDir volumes are supported by the process pod"
                + " runner");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeKeys(
      Path dir, Map<String, String> data, List<KeyToPath> items, boolean base64, String what)
      throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.keySet().forEach(k -> files.put(k, k));
    } else {
      for (KeyToPath item : items) {
        if (!data.containsKey(item.getKey())) {
          throw new PodStartException(
              "ContainerCreating", "couldn't find key " + item.getKey() + " in " + what);
        }
        files.put(item.getKey(), item.getPath());
      }
    }
    for (var file : files.entrySet()) {
      String value = data.get(file.getKey());
      byte[] bytes =
          base64 ? Base64.getDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
      Path target = dir.resolve(file.getValue()).normalize();
      if (!target.startsWith(dir)) {
        throw new PodStartException(
            "CreateContainerConfigError", "item path " + file.getValue() + " leaves its volume");
      }
      Files.createDirectories(target.getParent());
      Files.write(target, bytes);
    }
  }
}
