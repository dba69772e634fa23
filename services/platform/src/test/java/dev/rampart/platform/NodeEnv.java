package dev.rampart.platform;

import dev.rampart.contract.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** A node's environment as the operator writes it, on free loopback ports. */
final class NodeEnv {
  private NodeEnv() {}

  /** {@code extra}: more name, value pairs (e.g. the app version). */
  static Map<String, String> of(
      String service, String podIp, int managementPort, int grpcPort, String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put(Env.SERVICE, service);
    env.put(Env.POD_IP, podIp);
    env.put(Env.MANAGEMENT_PORT, String.valueOf(managementPort));
    env.put(Env.REMOTING_PORT, String.valueOf(freePort()));
    env.put(Env.GRPC_PORT, String.valueOf(grpcPort));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return Map.copyOf(env);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
