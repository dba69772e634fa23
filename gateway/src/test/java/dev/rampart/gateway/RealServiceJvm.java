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
 * A real service as its own JVM (the module's entry point) with the contract's environment: a
 * one-node cluster on its own loopback address, H2 journal, no Kafka, no peers. The class path is
 * the one the build records in target/test-dependencies.classpath (the services are test
 * dependencies).
 */
final class RealServiceJvm implements AutoCloseable {
  final String host;
  final ManagedProcess process;
  final int grpcPort;

  private RealServiceJvm(String host, ManagedProcess process, int grpcPort) {
    this.host = host;
    this.process = process;
    this.grpcPort = grpcPort;
  }

  /** The User service ({@code dev.rampart.user.Main}). */
  static RealServiceJvm user() {
    return start("user", "127.0.0.77", "dev.rampart.user.Main");
  }

  /**
   * The Shipping service ({@code dev.rampart.shipping.Main}): no User peer (shipments are created
   * with their address), the local carrier.
   */
  static RealServiceJvm shipping() {
    return start("shipping", "127.0.0.78", "dev.rampart.shipping.Main");
  }

  private static RealServiceJvm start(String service, String host, String mainClass) {
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
    int grpc = FreePorts.on(host);
    int management = FreePorts.on(host);
    Map<String, String> env = new java.util.HashMap<>();
    env.putAll(
        Map.of(
            Env.POD_IP,
            host,
            Env.GRPC_PORT,
            String.valueOf(grpc),
            Env.MANAGEMENT_PORT,
            String.valueOf(management),
            Env.REMOTING_PORT,
            String.valueOf(FreePorts.on(host)),
            Env.DISCOVERY_METHOD,
            Env.DISCOVERY_CONFIG,
            Env.CONTACT_POINTS,
            host + ":" + management,
            Env.REQUIRED_CONTACT_POINTS,
            "1",
            Env.LOG_FORMAT,
            "text"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log =
        Path.of(
            Files.isDirectory(Path.of("gateway", "src")) ? "gateway/target" : "target",
            "real-services",
            service + "-" + System.currentTimeMillis() + ".log");
    ManagedProcess process =
        ManagedProcess.start(
            service + "-service",
            List.of(java, "-Xmx384m", "-cp", dependencies, mainClass),
            env,
            log);
    return new RealServiceJvm(host, process, grpc);
  }

  GatewayConfig.HostPort endpoint() {
    return new GatewayConfig.HostPort(host, grpcPort);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.close();
  }
}
