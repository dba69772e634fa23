package dev.rampart.e2e.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files of a pod's projected ServiceAccount volume — token (bound to the pod, from the
 * TokenRequest API), ca.crt and namespace — in a directory of the pod's own. The runner bind-mounts
 * it at the standard path in the pod's mount namespace, so RBAC applies to the pod exactly as in a
 * cluster.
 */
final class ServiceAccountMount {
  static final String STANDARD_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final long TOKEN_SECONDS = 3600;

  private ServiceAccountMount() {}

  static Path write(KubernetesClient client, Pod pod, Path podDir, Path caCertificate) {
    String namespace = pod.getMetadata().getNamespace();
    String serviceAccount =
        pod.getSpec().getServiceAccountName() == null
            ? "default"
            : pod.getSpec().getServiceAccountName();
    String token =
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(TOKEN_SECONDS)
                    .withNewBoundObjectRef()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .endBoundObjectRef()
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path dir = podDir.resolve("serviceaccount");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("token.tmp"), token);
      Files.move(
          dir.resolve("token.tmp"),
          dir.resolve("token"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(caCertificate, dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("namespace"), namespace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
