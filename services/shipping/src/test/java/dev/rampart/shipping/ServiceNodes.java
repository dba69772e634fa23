package dev.rampart.shipping;

import akka.grpc.GrpcClientSettings;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.platform.ServiceRuntime;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.testing.FreePorts;
import dev.rampart.user.UserNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Real single-node User and Shipping services in this JVM, each its own ActorSystem and cluster on
 * its own loopback address, started through the platform exactly as their Mains do. The User node
 * serves the ShipmentExchange on an extra binding of its own, so a test can cut the exchange
 * connection without cutting its WatchNotifications client.
 */
final class ServiceNodes {
  static final Config TEST_OVERRIDES =
      ConfigFactory.parseString(
          """
          jdbc-read-journal.refresh-interval = 100ms
          akka.management.cluster.bootstrap.contact-point-discovery.stable-margin = 500ms
          rampart.shipping.exchange.min-backoff = 200ms
          rampart.shipping.exchange.max-backoff = 1s
          """);

  static Map<String, String> nodeEnv(String host, Map<String, String> extra) {
    int management = FreePorts.on(host);
    Map<String, String> env = new HashMap<>(extra);
    env.put(Env.POD_IP, host);
    env.put(Env.POD_NAME, "node-" + host);
    env.put(Env.REMOTING_PORT, String.valueOf(FreePorts.on(host)));
    env.put(Env.MANAGEMENT_PORT, String.valueOf(management));
    env.put(Env.GRPC_PORT, String.valueOf(FreePorts.on(host)));
    env.put(Env.CONTACT_POINTS, host + ":" + management);
    env.put(Env.REQUIRED_CONTACT_POINTS, "1");
    return env;
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

  /** A User node; {@code exchangePort} is where Shipping connects for the exchange. */
  static final class User implements AutoCloseable {
    final ServiceRuntime runtime;
    final UserNode node;
    final String host;
    final int grpcPort;
    final int exchangePort;
    private volatile ServerBinding exchangeBinding;

    User(String host, Map<String, String> env, int exchangePort) {
      Map<String, String> e = nodeEnv(host, env);
      this.host = host;
      this.grpcPort = Integer.parseInt(e.get(Env.GRPC_PORT));
      this.exchangePort = exchangePort;
      this.runtime = ServiceRuntime.start("user", e, TEST_OVERRIDES);
      this.node = UserNode.start(runtime.system(), Optional.empty());
      join(runtime.serveGrpc(node.grpcHandler()));
      bindExchange();
    }

    void bindExchange() {
      exchangeBinding =
          join(Http.get(runtime.system()).newServerAt(host, exchangePort).bind(node.grpcHandler()));
    }

    /** Cuts every exchange connection and stops accepting new ones. */
    void killExchangeBinding() {
      join(exchangeBinding.terminate(java.time.Duration.ofMillis(200)));
    }

    UserServiceClient client() {
      return UserServiceClient.create(
          GrpcClientSettings.connectToServiceAt(host, grpcPort, runtime.system()).withTls(false),
          runtime.system());
    }

    @Override
    public void close() {
      runtime.close();
    }
  }

  /** A Shipping node; {@code userHost} null: no User peer (no exchange stream). */
  static final class Shipping implements AutoCloseable {
    final ServiceRuntime runtime;
    final ShippingNode node;
    final String host;
    final int grpcPort;

    Shipping(String host, Map<String, String> env, String userHost, int userExchangePort) {
      this(withUser(nodeEnv(host, env), userHost, userExchangePort));
    }

    /** A node with a complete environment (cluster members share contact points). */
    Shipping(Map<String, String> e) {
      this(e, ConfigFactory.empty());
    }

    /** ... and settings of its own over the tests' ones. */
    Shipping(Map<String, String> e, Config settings) {
      this.host = e.get(Env.POD_IP);
      this.grpcPort = Integer.parseInt(e.get(Env.GRPC_PORT));
      this.runtime = ServiceRuntime.start("shipping", e, settings.withFallback(TEST_OVERRIDES));
      this.node = Main.start(runtime);
      join(runtime.serveGrpc(node.grpcHandler()));
    }

    private static Map<String, String> withUser(
        Map<String, String> e, String userHost, int userExchangePort) {
      if (userHost != null) {
        e.put(Env.PEER_ENDPOINTS, "user=" + userHost + ":" + userExchangePort);
      }
      return e;
    }

    ShippingServiceClient client() {
      return ShippingServiceClient.create(
          GrpcClientSettings.connectToServiceAt(host, grpcPort, runtime.system()).withTls(false),
          runtime.system());
    }

    @Override
    public void close() {
      runtime.close();
    }
  }

  /** Environments of {@code size} nodes on 127.0.0.1.. that form one cluster (config discovery). */
  static java.util.List<Map<String, String>> clusterEnvs(int size, Map<String, String> extra) {
    java.util.List<Map<String, String>> envs = new java.util.ArrayList<>();
    for (int i = 1; i <= size; i++) {
      envs.add(nodeEnv("127.0.0." + i, extra));
    }
    String contactPoints =
        envs.stream()
            .map(e -> e.get(Env.POD_IP) + ":" + e.get(Env.MANAGEMENT_PORT))
            .collect(java.util.stream.Collectors.joining(","));
    for (Map<String, String> e : envs) {
      e.put(Env.CONTACT_POINTS, contactPoints);
      e.put(Env.REQUIRED_CONTACT_POINTS, String.valueOf(size));
    }
    return envs;
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private ServiceNodes() {}
}
