package dev.rampart.e2e.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Ports;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod's view of its Akka cluster, as Akka Management's {@code /cluster/members} answers it on
 * the pod's management port: itself, the members and their status, the leader and the oldest. Nodes
 * are named by their host, which is the pod's IP.
 */
record AkkaClusterView(
    String pod, String self, Map<String, String> members, String leader, String oldest) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final Pattern HOST = Pattern.compile("@([^:/]+):");

  /** The pod's view, or empty when it does not answer (not started, or gone). */
  static Optional<AkkaClusterView> of(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + ip + ":" + Ports.MANAGEMENT + "/cluster/members"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(response.body());
      Map<String, String> members = new LinkedHashMap<>();
      json.path("members")
          .forEach(m -> members.put(host(m.path("node").asText()), m.path("status").asText()));
      return Optional.of(
          new AkkaClusterView(
              pod.getMetadata().getName(),
              host(json.path("selfNode").asText()),
              members,
              host(json.path("leader").asText()),
              host(json.path("oldest").asText())));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String host(String node) {
    Matcher m = HOST.matcher(node);
    return m.find() ? m.group(1) : "";
  }

  /** This node is an Up member in its own view. */
  boolean selfUp() {
    return "Up".equals(members.get(self));
  }

  long up() {
    return members.values().stream().filter("Up"::equals).count();
  }
}
