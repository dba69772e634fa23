package dev.rampart.order;

import akka.grpc.GrpcClientSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.platform.ServiceRuntime;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real Order nodes in the test JVM, each on its own loopback address (127.0.0.N, like a pod IP)
 * with free ports, configured only through the contract's environment variables, plus a gRPC client
 * per node.
 */
final class OrderNodes implements AutoCloseable {
  record Node(
      OrderNode order, String ip, int grpcPort, int managementPort, OrderServiceClient client) {}

  private final List<Node> nodes = new ArrayList<>();

  /** Starts {@code count} nodes forming one cluster through config discovery. */
  static OrderNodes start(
      int count, TestDatabase db, PeerServers peers, Map<String, String> extraEnv) {
    OrderNodes result = new OrderNodes();
    List<String> ips = new ArrayList<>();
    List<int[]> ports = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String ip = "127.0.0." + i;
      ips.add(ip);
      ports.add(new int[] {FreePorts.on(ip), FreePorts.on(ip), FreePorts.on(ip)});
    }
    String contactPoints =
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> ips.get(i) + ":" + ports.get(i)[0])
            .collect(Collectors.joining(","));
    // start all at once: bootstrap waits for all contact points before forming the cluster
    List<Thread> starters = new ArrayList<>();
    Node[] started = new Node[count];
    RuntimeException[] failure = new RuntimeException[1];
    for (int i = 0; i < count; i++) {
      int n = i;
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  Env.SERVICE,
                  OrderNode.SERVICE,
                  Env.POD_IP,
                  ips.get(n),
                  Env.MANAGEMENT_PORT,
                  String.valueOf(ports.get(n)[0]),
                  Env.REMOTING_PORT,
                  String.valueOf(ports.get(n)[1]),
                  Env.GRPC_PORT,
                  String.valueOf(ports.get(n)[2]),
                  Env.CONTACT_POINTS,
                  contactPoints,
                  Env.JDBC_URL,
                  db.jdbcUrl(),
                  Env.JDBC_USER,
                  db.user(),
                  Env.JDBC_PASSWORD,
                  db.password(),
                  Env.PEER_ENDPOINTS,
                  peers.peerEndpoints()));
      env.putAll(extraEnv);
      Thread t =
          new Thread(
              () -> {
                try {
                  OrderNode node =
                      OrderNode.start(ServiceRuntime.start(OrderNode.SERVICE, env, TEST_CONFIG));
                  OrderServiceClient client =
                      OrderServiceClient.create(
                          GrpcClientSettings.connectToServiceAt(
                                  ips.get(n), ports.get(n)[2], node.runtime().system())
                              .withTls(false),
                          node.runtime().system());
                  started[n] = new Node(node, ips.get(n), ports.get(n)[2], ports.get(n)[0], client);
                } catch (RuntimeException e) {
                  failure[0] = e;
                }
              },
              "start-order-" + ips.get(n));
      starters.add(t);
      t.start();
    }
    for (Thread t : starters) {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    for (Node node : started) {
      if (node != null) {
        result.nodes.add(node);
      }
    }
    if (failure[0] != null) {
      result.close();
      throw failure[0];
    }
    return result;
  }

  /** Faster failure detection and projections for tests; everything else as in production. */
  static final Config TEST_CONFIG =
      ConfigFactory.parseString(
          """
          akka.coordinated-shutdown.exit-jvm = off
          akka.cluster.jmx.multi-mbeans-in-same-jvm = on
          akka.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
          jdbc-read-journal.refresh-interval = 200ms
          """);

  Node node(int i) {
    return nodes.get(i);
  }

  List<Node> all() {
    return nodes;
  }

  @Override
  public void close() {
    List<Thread> stoppers =
        nodes.stream()
            .map(
                n ->
                    new Thread(
                        () -> {
                          n.client().close();
                          n.order().runtime().close();
                        }))
            .toList();
    stoppers.forEach(Thread::start);
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
