package dev.rampart.user;

import static org.awaitility.Awaitility.await;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.grpc.GrpcClientSettings;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.platform.ServiceRuntime;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.testing.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real User nodes in this JVM, each an ActorSystem on its own loopback address (127.0.0.1, .2, .3,
 * ...) with its own remoting, management and gRPC ports, forming one cluster through the platform's
 * config-discovery bootstrap, exactly as the local runner starts them (only in one JVM).
 */
final class UserCluster implements AutoCloseable {
  static final Config TEST_OVERRIDES =
      ConfigFactory.parseString(
          """
          jdbc-read-journal.refresh-interval = 100ms
          akka.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
          akka.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 10m
          """);

  record Node(
      ServiceRuntime runtime, UserNode node, ServerBinding binding, String host, int grpcPort) {
    UserServiceClient client() {
      return UserServiceClient.create(
          GrpcClientSettings.connectToServiceAt(host, grpcPort, runtime.system()).withTls(false),
          runtime.system());
    }
  }

  final List<Node> nodes;

  private UserCluster(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** {@code env} is added to every node's environment (JDBC, Kafka). */
  static UserCluster start(int size, Map<String, String> env) {
    return start(size, env, ConfigFactory.empty());
  }

  /** {@code overrides} win over the test defaults. */
  static UserCluster start(int size, Map<String, String> env, Config overrides) {
    List<String> hosts = new ArrayList<>();
    List<Integer> managementPorts = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String host = "127.0.0." + i;
      hosts.add(host);
      managementPorts.add(FreePorts.on(host));
    }
    String contactPoints =
        java.util.stream.IntStream.range(0, size)
            .mapToObj(i -> hosts.get(i) + ":" + managementPorts.get(i))
            .collect(Collectors.joining(","));
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String host = hosts.get(i);
      int grpcPort = FreePorts.on(host);
      Map<String, String> nodeEnv = new HashMap<>(env);
      nodeEnv.put(Env.POD_IP, host);
      nodeEnv.put(Env.REMOTING_PORT, String.valueOf(FreePorts.on(host)));
      nodeEnv.put(Env.MANAGEMENT_PORT, String.valueOf(managementPorts.get(i)));
      nodeEnv.put(Env.GRPC_PORT, String.valueOf(grpcPort));
      nodeEnv.put(Env.CONTACT_POINTS, contactPoints);
      nodeEnv.put(Env.REQUIRED_CONTACT_POINTS, String.valueOf(size));
      ServiceRuntime runtime =
          ServiceRuntime.start("user", nodeEnv, overrides.withFallback(TEST_OVERRIDES));
      UserNode node = UserNode.start(runtime.system(), Main.consumerSettings(runtime));
      ServerBinding binding = join(runtime.serveGrpc(node.grpcHandler()));
      nodes.add(new Node(runtime, node, binding, host, grpcPort));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                nodes.stream()
                    .allMatch(
                        n ->
                            Cluster.get(n.runtime().system()).state().members().size() == size
                                && Cluster.get(n.runtime().system()).selfMember().status()
                                    == MemberStatus.up()));
    return new UserCluster(nodes);
  }

  static Map<String, String> h2(String name) {
    return Map.of(
        Env.JDBC_URL,
        "jdbc:h2:mem:"
            + name
            + "-"
            + System.nanoTime()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false",
        Env.JDBC_USER,
        "sa");
  }

  Node node(int i) {
    return nodes.get(i);
  }

  static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      n.node().stopConsuming();
    }
    nodes.parallelStream().forEach(n -> n.runtime().close());
  }
}
