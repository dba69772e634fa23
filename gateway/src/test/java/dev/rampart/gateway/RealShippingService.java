package dev.rampart.gateway;

import dev.rampart.contract.Env;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real Shipping service as its own JVM ({@code dev.rampart.shipping.Main}) with the contract's
 * environment, as {@link RealUserService}: a one-node cluster, H2 journal, no Kafka, no User peer
 * (shipments are created with their address), the local carrier (rampart-shipping is a test
 * dependency).
 */
final class RealShippingService implements AutoCloseable {
  static final String HOST = "127.0.0.78";
  final ManagedProcess process;
  final int grpcPort;

  private RealShippingService(ManagedProcess process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
  }

  static RealShippingService start() {
    String dependencies;
    try {
      String file =
          System.getProperty(
              "rampart.test.dependencies.file", "target/test-dependencies.classpath");
      dependencies = Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          "run `mvn -pl gateway test-compile` first (writes target/test-dependencies.classpath)",
          e);
    }
    int grpc = FreePorts.on(HOST);
    int management = FreePorts.on(HOST);
    Map<String, String> env = new java.util.HashMap<>();
    env.putAll(
        Map.of(
            Env.POD_IP,
            HOST,
            Env.GRPC_PORT,
            String.valueOf(grpc),
            Env.MANAGEMENT_PORT,
            String.valueOf(management),
            Env.REMOTING_PORT,
            String.valueOf(FreePorts.on(HOST)),
            Env.DISCOVERY_METHOD,
            Env.DISCOVERY_CONFIG,
            Env.CONTACT_POINTS,
            HOST + ":" + management,
            Env.REQUIRED_CONTACT_POINTS,
            "1",
            Env.LOG_FORMAT,
            "text"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log =
        Path.of(
            Files.isDirectory(Path.of("gateway", "src")) ? "gateway/target" : "target",
            "real-services",
            "shipping-" + System.currentTimeMillis() + ".log");
    ManagedProcess process =
        ManagedProcess.start(
            "shipping-service",
            List.of(java, "-Xmx384m", "-cp", dependencies, "dev.rampart.shipping.Main"),
            env,
            log);
    return new RealShippingService(process, grpc);
  }

  GatewayConfig.HostPort endpoint() {
    return new GatewayConfig.HostPort(HOST, grpcPort);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.close();
  }
}
