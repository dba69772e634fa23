package dev.rampart.operator.testing;

import com.sun.net.httpserver.HttpServer;
import dev.rampart.contract.Ports;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plays what no test API server has: the kubelet (pods of a Deployment, Running, each with its own
 * loopback IP where a real HTTP server answers like Akka Management's {@code /cluster/members}) and
 * a Gateway controller (it accepts an HTTPRoute). Close to stop the servers.
 */
public final class PlayedControllers implements AutoCloseable {
  /** Each set of pods gets its own 127.x.y.0/24, so tests never share an address. */
  private static final AtomicInteger SUBNETS =
      new AtomicInteger(new java.util.Random().nextInt(200) * 250);

  private final KubernetesClient client;
  private final List<HttpServer> servers = new ArrayList<>();

  public PlayedControllers(KubernetesClient client) {
    this.client = client;
  }

  /**
   * {@code count} Running, Ready pods of the Deployment, from its pod template; every one reports
   * the same Akka cluster: all of them Up, the first one leader.
   */
  public List<Pod> akkaPods(String ns, String deployment, int count) {
    return akkaPods(ns, deployment, count, count);
  }

  /**
   * As {@link #akkaPods(String, String, int)}, but only the first {@code up} members are Up: the
   * others are still Joining (a cluster that has not taken every pod in).
   */
  public List<Pod> akkaPods(String ns, String deployment, int count, int up) {
    int subnet = SUBNETS.incrementAndGet();
    String prefix = "127." + (100 + subnet / 250 % 150) + "." + (subnet % 250) + ".";
    String service = deployment.substring(deployment.indexOf('-') + 1);
    var ips = IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    var nodes = ips.stream().map(ip -> "akka://" + service + "@" + ip + ":25520").toList();
    String members =
        "{\"leader\":\""
            + nodes.get(0)
            + "\",\"unreachable\":[],\"members\":["
            + IntStream.range(0, count)
                .mapToObj(
                    i ->
                        "{\"node\":\""
                            + nodes.get(i)
                            + "\",\"status\":\""
                            + (i < up ? "Up" : "Joining")
                            + "\",\"roles\":[\"dc-default\"]}")
                .collect(Collectors.joining(","))
            + "]}";
    var template =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(deployment)
            .get()
            .getSpec()
            .getTemplate();
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      serveMembers(ips.get(i), members);
      var pod =
          client
              .pods()
              .inNamespace(ns)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName(deployment + "-" + i)
                      .withLabels(template.getMetadata().getLabels())
                      .endMetadata()
                      .withSpec(template.getSpec())
                      .build())
              .create();
      pod.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withPodIP(ips.get(i))
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .build());
      pods.add(client.pods().inNamespace(ns).resource(pod).updateStatus());
    }
    return pods;
  }

  /** The kubelet giving up on a container: waiting with {@code reason} (e.g. CrashLoopBackOff). */
  public void waiting(String ns, String pod, String reason, String message) {
    var current = client.pods().inNamespace(ns).withName(pod).get();
    String container = current.getSpec().getContainers().get(0).getName();
    current.setStatus(
        new PodStatusBuilder(current.getStatus())
            .withPhase("Running")
            .addNewContainerStatus()
            .withName(container)
            .withImage(current.getSpec().getContainers().get(0).getImage())
            .withImageID("")
            .withReady(false)
            .withRestartCount(5)
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .endContainerStatus()
            .build());
    client.pods().inNamespace(ns).resource(current).updateStatus();
  }

  /** A Gateway controller accepting the HTTPRoute for every parent it names. */
  public void acceptRoute(String ns, String name) {
    var route = client.resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
    long generation = route.getMetadata().getGeneration();
    route.setStatus(
        new HTTPRouteStatusBuilder()
            .withParents(
                route.getSpec().getParentRefs().stream()
                    .map(
                        ref ->
                            new RouteParentStatusBuilder()
                                .withControllerName("example.com/gateway-controller")
                                .withParentRef(ref)
                                .withConditions(
                                    condition("Accepted", generation),
                                    condition("ResolvedRefs", generation))
                                .build())
                    .toList())
            .build());
    client.resource(route).inNamespace(ns).updateStatus();
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(String type, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(type)
        .withMessage("")
        .withObservedGeneration(generation)
        .withLastTransitionTime("2026-11-26T00:00:00Z")
        .build();
  }

  /** A real HTTP server on {@code ip}'s management port answering {@code /cluster/members}. */
  public void serveMembers(String ip, String body) {
    try {
      var server = HttpServer.create(new InetSocketAddress(ip, Ports.MANAGEMENT), 0);
      server.createContext(
          "/cluster/members",
          ex -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
          });
      server.start();
      servers.add(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
