package dev.rampart.shipping;

import dev.rampart.platform.ServiceRuntime;
import java.util.Optional;

/**
 * The Shipping service process: platform start-up from the environment, then the Shipping node and
 * its gRPC server.
 */
public final class Main {
  public static void main(String[] args) {
    ServiceRuntime runtime = ServiceRuntime.fromEnvironment("shipping");
    ShippingNode node = start(runtime);
    runtime.serveGrpc(node.grpcHandler());
  }

  /** The node on a started runtime. */
  static ShippingNode start(ServiceRuntime runtime) {
    return ShippingNode.start(
        runtime.system(),
        runtime.peers().knows("user")
            ? Optional.of(runtime.peers().settings("user"))
            : Optional.empty(),
        runtime.kafka());
  }

  private Main() {}
}
