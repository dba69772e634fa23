package dev.rampart.order;

import akka.actor.typed.ActorSystem;
import akka.grpc.GrpcClientSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Env;
import dev.rampart.contract.Probes;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Order nodes as separate JVM processes ({@code java -cp ... dev.rampart.order.Main}, as the
 * process-pod runner starts them), each on its own loopback address (127.0.0.N, like a pod IP) with
 * fixed ports across restarts, configured only through the contract's environment; config overrides
 * are JVM system properties, which win over every other layer. Per node: a gRPC client and its Akka
 * Management endpoints.
 */
final class OrderProcessCluster implements AutoCloseable {
  /**
   * A node's view of the cluster ({@code GET /cluster/members}); nodes as {@code host:port} of
   * remoting.
   */
  record Members(Set<String> up, Set<String> all, Set<String> unreachable, String oldest) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int count;
  private final List<String> ips = new ArrayList<>();
  private final int[] managementPorts;
  private final int[] remotingPorts;
  private final int[] grpcPorts;
  private final Map<String, String> sharedEnv;
  private final List<String> systemProperties;
  private final Path logDir;
  private final ActorSystem<?> clientSystem;
  private final ManagedProcess[] processes;
  private final OrderServiceClient[] clients;
  private final int[] incarnations;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OrderProcessCluster(
      int count, TestDatabase db, PeerServers peers, List<String> systemProperties, Path logDir) {
    this.count = count;
    this.managementPorts = new int[count];
    this.remotingPorts = new int[count];
    this.grpcPorts = new int[count];
    for (int i = 0; i < count; i++) {
      String ip = "127.0.0." + (i + 1);
      ips.add(ip);
      managementPorts[i] = FreePorts.on(ip);
      remotingPorts[i] = FreePorts.on(ip);
      grpcPorts[i] = FreePorts.on(ip);
    }
    this.sharedEnv =
        Map.of(
            Env.SERVICE,
            OrderNode.SERVICE,
            Env.DISCOVERY_METHOD,
            Env.DISCOVERY_CONFIG,
            Env.CONTACT_POINTS,
            IntStream.range(0, count)
                .mapToObj(i -> ips.get(i) + ":" + managementPorts[i])
                .collect(Collectors.joining(",")),
            Env.JDBC_URL,
            db.jdbcUrl(),
            Env.JDBC_USER,
            db.user(),
            Env.JDBC_PASSWORD,
            db.password(),
            Env.PEER_ENDPOINTS,
            peers.peerEndpoints());
    this.systemProperties = List.copyOf(systemProperties);
    this.logDir = logDir;
    this.clientSystem = peers.system;
    this.processes = new ManagedProcess[count];
    this.clients = new OrderServiceClient[count];
    this.incarnations = new int[count];
  }

  /**
   * Starts {@code count} node processes at once (bootstrap forms the cluster once all contact
   * points answer).
   */
  static OrderProcessCluster start(
      int count, TestDatabase db, PeerServers peers, List<String> systemProperties, Path logDir) {
    OrderProcessCluster cluster =
        new OrderProcessCluster(count, db, peers, systemProperties, logDir);
    for (int i = 0; i < count; i++) {
      cluster.start(i);
    }
    return cluster;
  }

  /** Starts (or restarts, on the same address and ports) node {@code i}. */
  void start(int i) {
    if (processes[i] != null && processes[i].isAlive()) {
      throw new IllegalStateException("node " + i + " is running");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
    systemProperties.forEach(p -> command.add("-D" + p));
    command.addAll(List.of("-cp", nodeClassPath(), Main.class.getName()));
    Map<String, String> env = new java.util.HashMap<>(sharedEnv);
    env.put(Env.POD_IP, ips.get(i));
    env.put(Env.MANAGEMENT_PORT, String.valueOf(managementPorts[i]));
    env.put(Env.REMOTING_PORT, String.valueOf(remotingPorts[i]));
    env.put(Env.GRPC_PORT, String.valueOf(grpcPorts[i]));
    String name = "order-" + ips.get(i) + "-" + incarnations[i]++;
    Path log = logDir.resolve(name + ".log");
    try {
      Files.deleteIfExists(log); // an earlier run's
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    processes[i] = ManagedProcess.start(name, command, env, log);
    clients[i] =
        OrderServiceClient.create(
            GrpcClientSettings.connectToServiceAt(ips.get(i), grpcPorts[i], clientSystem)
                .withTls(false)
                .withDeadline(Duration.ofSeconds(20)),
            clientSystem);
  }

  /** SIGKILL: no leaving, no shutdown hooks: a crashed node. */
  void kill(int i) {
    processes[i].kill();
    clients[i].close();
  }

  OrderServiceClient client(int i) {
    return clients[i];
  }

  boolean isAlive(int i) {
    return processes[i].isAlive();
  }

  /** Remoting address {@code host:port} of node {@code i}, as it appears in membership. */
  String node(int i) {
    return ips.get(i) + ":" + remotingPorts[i];
  }

  int indexOf(String node) {
    return IntStream.range(0, count)
        .filter(i -> node(i).equals(node))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a node of this cluster: " + node));
  }

  /**
   * HTTP status of {@code /ready} (Up in the cluster and journal reachable), -1 when not answering.
   */
  int readiness(int i) {
    return get(i, Probes.READY).map(HttpResponse::statusCode).orElse(-1);
  }

  /** Node {@code i}'s view of the membership, empty when it does not answer. */
  Optional<Members> members(int i) {
    return get(i, "/cluster/members")
        .filter(r -> r.statusCode() == 200)
        .map(r -> parseMembers(r.body()));
  }

  /**
   * Shard ids of {@code entityType} whose region lives on node {@code i} ({@code GET
   * /cluster/shards/...}).
   */
  Set<String> hostedShards(int i, String entityType) {
    var response =
        get(i, "/cluster/shards/" + entityType)
            .filter(r -> r.statusCode() == 200)
            .orElseThrow(
                () -> new IllegalStateException("node " + i + " does not report its shards"));
    try {
      Set<String> shards = new HashSet<>();
      JSON.readTree(response.body())
          .path("regions")
          .forEach(r -> shards.add(r.path("shardId").asText()));
      return shards;
    } catch (Exception e) {
      throw new IllegalStateException("unreadable shard report: " + response.body(), e);
    }
  }

  String logTail(int i) {
    return processes[i] == null ? "(not started)" : processes[i] + ":\n" + processes[i].logTail(40);
  }

  @Override
  public void close() {
    for (int i = 0; i < count; i++) {
      if (clients[i] != null) {
        clients[i].close();
      }
      if (processes[i] != null) {
        processes[i].kill(); // the test is over: no need for a graceful leave
      }
    }
  }

  private Optional<HttpResponse<String>> get(int i, String path) {
    try {
      URI uri = URI.create("http://" + ips.get(i) + ":" + managementPorts[i] + path);
      return Optional.of(
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Members parseMembers(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      Set<String> up = new HashSet<>();
      Set<String> all = new HashSet<>();
      for (JsonNode m : json.path("members")) {
        all.add(hostPort(m.path("node").asText()));
        if (m.path("status").asText().equals("Up")) {
          up.add(hostPort(m.path("node").asText()));
        }
      }
      Set<String> unreachable = new HashSet<>();
      json.path("unreachable").forEach(u -> unreachable.add(hostPort(u.path("node").asText())));
      return new Members(up, all, unreachable, hostPort(json.path("oldest").asText("")));
    } catch (Exception e) {
      throw new IllegalStateException("unreadable membership: " + body, e);
    }
  }

  /** {@code akka://order@127.0.0.1:25520} -> {@code 127.0.0.1:25520}. */
  private static String hostPort(String address) {
    return address.substring(address.indexOf('@') + 1);
  }

  /**
   * The class path of a node: the module's runtime class path as surefire built it (classes and
   * dependencies; {@code target/runtime.classpath} is only written at {@code package}, after the
   * tests of a fresh build).
   */
  private static String nodeClassPath() {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    if (!classPath.contains("classes")) {
      throw new IllegalStateException(
          "cannot find the Order classes on the class path " + classPath);
    }
    return classPath;
  }
}
