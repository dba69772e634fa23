package dev.rampart.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Ports;
import dev.rampart.operator.api.v1alpha1.ClusterMembership;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks one pod's Akka Management endpoint ({@code GET /cluster/members}) how its cluster looks.
 * Short timeouts: an unreachable pod means "unknown", never a failed reconcile.
 */
public class ClusterMembershipProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;
  private final int port;

  public ClusterMembershipProbe(Duration timeout, int port) {
    this.timeout = timeout;
    this.port = port;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public ClusterMembershipProbe() {
    this(Duration.ofMillis(1500), Ports.MANAGEMENT);
  }

  public Optional<ClusterMembership> ask(String podIp) {
    if (podIp == null || podIp.isBlank()) {
      return Optional.empty();
    }
    String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
    var request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/cluster/members"))
            .timeout(timeout)
            .GET()
            .build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(parse(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Akka Management's members document: {@code
   * {"members":[{"status":"Up",...}],"unreachable":[...]}}.
   */
  static ClusterMembership parse(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    int up = 0;
    for (JsonNode member : root.path("members")) {
      if ("Up".equals(member.path("status").asText())) {
        up++;
      }
    }
    return new ClusterMembership(up, root.path("unreachable").size());
  }
}
