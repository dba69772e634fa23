package dev.rampart.peers;

import akka.discovery.ServiceDiscovery.ResolvedTarget;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import scala.Option;

/**
 * The pods of a Kubernetes pod list that may get traffic: Ready (the kubelet's readiness probe
 * passed), Running, not being deleted, with an IP. Pure, so it is tested on pod lists as the API
 * server returns them. Kubernetes-api discovery (1.4) keeps every Running pod, Ready or not: right
 * for cluster bootstrap (a pod is Ready only after it joined), wrong for requests.
 */
final class ReadyPods {
  private ReadyPods() {}

  /**
   * One target per ready pod: its IP and, when {@code portName} is given, the container port of
   * that name (pods without it are left out).
   */
  static List<ResolvedTarget> targets(JsonNode podList, Optional<String> portName) {
    List<ResolvedTarget> targets = new ArrayList<>();
    for (JsonNode pod : podList.path("items")) {
      if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
          || !"Running".equals(pod.path("status").path("phase").asText())
          || !ready(pod)) {
        continue;
      }
      String ip = pod.path("status").path("podIP").asText("");
      if (ip.isEmpty()) {
        continue;
      }
      Optional<Integer> port = Optional.empty();
      if (portName.isPresent()) {
        port = port(pod, portName.get());
        if (port.isEmpty()) {
          continue;
        }
      }
      targets.add(
          new ResolvedTarget(ip, Option.apply(port.<Object>map(p -> p).orElse(null)), address(ip)));
    }
    return targets;
  }

  private static boolean ready(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  private static Optional<Integer> port(JsonNode pod, String name) {
    for (JsonNode container : pod.path("spec").path("containers")) {
      for (JsonNode port : container.path("ports")) {
        if (name.equals(port.path("name").asText())) {
          return Optional.of(port.path("containerPort").asInt());
        }
      }
    }
    return Optional.empty();
  }

  private static Option<InetAddress> address(String ip) {
    try {
      return Option.apply(InetAddress.getByName(ip)); // an IP literal: no DNS lookup
    } catch (UnknownHostException e) {
      return Option.empty();
    }
  }
}
