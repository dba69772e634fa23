package dev.rampart.e2e.pods;

import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;

/**
 * The cluster DNS and kube-proxy of process pods, as far as a pod needs them: a hosts file, bind
 * mounted at /etc/hosts in every pod, naming each Service ({@code svc}, {@code svc.ns}, {@code
 * svc.ns.svc}, {@code svc.ns.svc.cluster.local}) with the address of one of its Ready pods here
 * (the first by name). No ClusterIP and no port mapping: a Service works when its port is its
 * target port (the gateway's egress port 8081 is). Rewritten in place (the same inode, so the bind
 * mounts see it) whenever the endpoints change; the machine's own /etc/hosts lines come first.
 */
final class ServiceHosts {
  static final String FILE = "hosts";
  static final String CLUSTER_DOMAIN = "cluster.local";

  private final Path file;
  private final String machineHosts;
  private String written;

  ServiceHosts(Path workDir) {
    this.file = workDir.resolve(FILE);
    String base;
    try {
      base = Files.readString(Path.of("/etc/hosts"));
    } catch (IOException e) {
      base = "127.0.0.1 localhost\n";
    }
    this.machineHosts = base.endsWith("\n") ? base : base + "\n";
    write(machineHosts);
  }

  static Path of(RunnerSettings settings) {
    return settings.workDir().resolve(FILE);
  }

  /** Writes the file again if a Service's first Ready pod changed. */
  void update(Collection<Service> services, Collection<ProcessPod> pods) {
    StringBuilder out = new StringBuilder(machineHosts);
    services.stream()
        .sorted(
            Comparator.comparing(
                s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()))
        .forEach(
            service -> {
              Map<String, String> selector =
                  service.getSpec() == null ? null : service.getSpec().getSelector();
              if (selector == null || selector.isEmpty()) {
                return;
              }
              String namespace = service.getMetadata().getNamespace();
              pods.stream()
                  .filter(ProcessPod::isReady)
                  .filter(p -> namespace.equals(p.pod().getMetadata().getNamespace()))
                  .filter(p -> matches(selector, p.pod().getMetadata().getLabels()))
                  .min(Comparator.comparing((Function<ProcessPod, String>) ProcessPod::key))
                  .ifPresent(
                      p -> {
                        String name = service.getMetadata().getName();
                        out.append(p.ip())
                            .append(' ')
                            .append(name)
                            .append(' ')
                            .append(name)
                            .append('.')
                            .append(namespace)
                            .append(' ')
                            .append(name)
                            .append('.')
                            .append(namespace)
                            .append(".svc ")
                            .append(name)
                            .append('.')
                            .append(namespace)
                            .append(".svc.")
                            .append(CLUSTER_DOMAIN)
                            .append('\n');
                      });
            });
    write(out.toString());
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private synchronized void write(String content) {
    if (content.equals(written)) {
      return;
    }
    try {
      Files.writeString(
          file,
          content,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      written = content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
