package dev.rampart.user;

import akka.kafka.ConsumerSettings;
import dev.rampart.platform.ServiceRuntime;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The User service process: platform start-up from the environment, then the User node and its gRPC
 * server.
 */
public final class Main {
  public static void main(String[] args) {
    ServiceRuntime runtime = ServiceRuntime.fromEnvironment("user");
    UserNode node = UserNode.start(runtime.system(), consumerSettings(runtime));
    runtime.serveGrpc(node.grpcHandler());
  }

  static Optional<ConsumerSettings<String, byte[]>> consumerSettings(ServiceRuntime runtime) {
    if (!runtime.kafka().configured()) {
      return Optional.empty();
    }
    String groupId =
        runtime.system().settings().config().getString("rampart.user.order-events.group-id");
    return Optional.of(
        runtime
            .kafka()
            .consumerSettings(
                runtime.system(), new StringDeserializer(), new ByteArrayDeserializer(), groupId));
  }

  private Main() {}
}
