package dev.rampart.e2e.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The API server's audit log of one user (kube-apiserver --audit-policy-file / --audit-log-path):
 * every request it made, with the answer, so a test can say exactly which rights were used and
 * which were refused.
 */
final class ApiServerAudit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path policy;
  private final Path log;

  private ApiServerAudit(Path policy, Path log) {
    this.policy = policy;
    this.log = log;
  }

  /** A policy that records metadata of the given user's requests only. */
  static ApiServerAudit ofUser(Path dir, String username) {
    try {
      Path policy = dir.resolve("audit-policy.yaml");
      Files.writeString(
          policy,
          String.join(
              "\n",
              "apiVersion: audit.k8s.io/v1",
              "kind: Policy",
              "omitStages: [RequestReceived]",
              "rules:",
              "  - level: Metadata",
              "    users: [\"" + username + "\"]",
              "  - level: None",
              ""));
      return new ApiServerAudit(policy, dir.resolve("audit.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, String> apiServerFlags() {
    return Map.of(
        "--audit-policy-file", policy.toString(),
        "--audit-log-path", log.toString(),
        "--audit-log-mode", "blocking");
  }

  /**
   * One request: "verb group resource[/subresource]" (group "core" for the core API) and the HTTP
   * status.
   */
  record Request(String permission, String name, String namespace, int code) {}

  List<Request> requests() {
    List<Request> requests = new ArrayList<>();
    if (!Files.exists(log)) {
      return requests;
    }
    try {
      for (String line : Files.readAllLines(log)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        JsonNode ref = event.path("objectRef");
        if (ref.isMissingNode()) {
          continue; // non-resource URLs (/version, /apis): public discovery
        }
        String group = ref.path("apiGroup").asText("");
        String resource =
            ref.path("resource").asText()
                + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
        requests.add(
            new Request(
                event.path("verb").asText()
                    + " "
                    + (group.isEmpty() ? "core" : group)
                    + " "
                    + resource,
                ref.path("name").asText(""),
                ref.path("namespace").asText(""),
                event.path("responseStatus").path("code").asInt()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }

  /** Requests refused for lack of rights (403), as "permission name in namespace". */
  List<String> forbidden() {
    return requests().stream()
        .filter(r -> r.code() == 403)
        .map(r -> r.permission() + " " + r.name() + " in " + r.namespace())
        .distinct()
        .toList();
  }

  /** Permission → number of requests, for the test's report of what the operator really used. */
  TreeMap<String, Integer> usage() {
    TreeMap<String, Integer> usage = new TreeMap<>();
    requests().forEach(r -> usage.merge(r.permission(), 1, Integer::sum));
    return usage;
  }

  TreeSet<String> used() {
    return new TreeSet<>(usage().keySet());
  }
}
