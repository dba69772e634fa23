package dev.rampart.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Ports;
import dev.rampart.operator.status.PodClusterView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks one pod's Akka Management endpoint ({@code GET /cluster/members}) how its cluster looks.
 * Asynchronous with short timeouts: an unreachable pod means "unknown", never an error.
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

  public CompletableFuture<Optional<PodClusterView>> ask(String pod, String service, String podIp) {
    if (podIp == null || podIp.isBlank()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/cluster/members"))
              .timeout(timeout)
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                return Optional.<PodClusterView>empty();
              }
              try {
                return Optional.of(parse(pod, service, response.body()));
              } catch (IOException e) {
                return Optional.<PodClusterView>empty();
              }
            })
        .exceptionally(e -> Optional.empty());
  }

  /**
   * Akka Management's members document: {@code
   * {"leader":"akka://…","oldest":"akka://…","members":[{"node":"akka://…","status":"Up"},…],"unreachable":[…]}}.
   */
  static PodClusterView parse(String pod, String service, String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    List<String> up = new ArrayList<>();
    for (JsonNode member : root.path("members")) {
      if ("Up".equals(member.path("status").asText())) {
        up.add(member.path("node").asText());
      }
    }
    up.sort(null);
    return new PodClusterView(
        pod,
        service,
        root.path("leader").asText(null),
        root.path("oldest").asText(null),
        up,
        root.path("unreachable").size());
  }
}
