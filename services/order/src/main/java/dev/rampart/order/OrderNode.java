package dev.rampart.order;

import akka.cluster.Cluster;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.http.javadsl.ServerBinding;
import dev.rampart.platform.GrpcErrors;
import dev.rampart.platform.ServiceRuntime;
import dev.rampart.platform.StandardGrpc;
import dev.rampart.platform.WarmUp;
import dev.rampart.proto.order.v1.OrderService;
import dev.rampart.proto.order.v1.OrderServicePowerApiHandlerFactory;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.UserServiceClient;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Order node on top of the platform: the sharded OrderEntity, the gRPC API, the clients of User
 * and Shipping, and the projections (Kafka publishing, shipment creation).
 */
public final class OrderNode {
  private static final Logger log = LoggerFactory.getLogger(OrderNode.class);
  public static final String SERVICE = "order";
  static final String USER = "user";
  static final String SHIPPING = "shipping";

  private final ServiceRuntime runtime;
  private final CompletionStage<ServerBinding> grpc;

  private OrderNode(ServiceRuntime runtime, CompletionStage<ServerBinding> grpc) {
    this.runtime = runtime;
    this.grpc = grpc;
  }

  public static OrderNode start(ServiceRuntime runtime) {
    var system = runtime.system();
    ClusterSharding.get(system)
        .init(Entity.of(OrderEntity.TYPE_KEY, ctx -> OrderEntity.create(ctx.getEntityId())));

    UserServiceClient users = UserServiceClient.create(runtime.peers().settings(USER), system);
    ShippingServiceClient shipping =
        ShippingServiceClient.create(runtime.peers().settings(SHIPPING), system);
    system
        .classicSystem()
        .registerOnTermination(
            () -> {
              users.close();
              shipping.close();
            });

    OrderProjections.startShipmentCreation(system, shipping, runtime.kafka().configured());
    if (runtime.kafka().configured()) {
      OrderProjections.startKafkaPublisher(system, runtime.kafka());
      ShipmentEventsConsumer.start(system, runtime.kafka());
    } else {
      log.warn("No Kafka bootstrap servers configured: order events are not published");
    }

    var handler =
        StandardGrpc.handler(
            system,
            List.of(OrderService.description),
            OrderServicePowerApiHandlerFactory.create(
                new OrderServiceImpl(system, users), GrpcErrors.mapper(), system));
    CompletionStage<ServerBinding> grpc = runtime.serveGrpc(handler);
    // once Up (sharding works) and serving: the warm-up's clock starts when it can succeed
    Cluster.get(system.classicSystem())
        .registerOnMemberUp(
            () ->
                grpc.thenCompose(
                    bound ->
                        WarmUp.get(system)
                            .run(OrderWarmUp.steps(system, runtime.settings().podName(), users))));
    return new OrderNode(runtime, grpc);
  }

  public ServiceRuntime runtime() {
    return runtime;
  }

  public CompletionStage<ServerBinding> grpcBinding() {
    return grpc;
  }
}
