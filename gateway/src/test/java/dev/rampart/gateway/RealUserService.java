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
 * The real User service as its own JVM ({@code dev.rampart.user.Main}, the module's entry point)
 * with the contract's environment: a one-node cluster on its own loopback address, H2 journal, no
 * Kafka. The class path is the one the build records in target/test-dependencies.classpath
 * (rampart-user is a test dependency).
 */
final class RealUserService implements AutoCloseable {
  static final String HOST = "127.0.0.77";
  final ManagedProcess process;
  final int grpcPort;

  private RealUserService(ManagedProcess process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
  }

  static RealUserService start() {
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
            "user-" + System.currentTimeMillis() + ".log");
    ManagedProcess process =
        ManagedProcess.start(
            "user-service",
            List.of(java, "-Xmx384m", "-cp", dependencies, "dev.rampart.user.Main"),
            env,
            log);
    return new RealUserService(process, grpc);
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
