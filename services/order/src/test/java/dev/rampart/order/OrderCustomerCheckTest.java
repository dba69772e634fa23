package dev.rampart.order;

import static dev.rampart.order.OrderGrpcTest.call;
import static dev.rampart.order.OrderGrpcTest.line;
import static dev.rampart.order.OrderGrpcTest.order;
import static dev.rampart.order.OrderGrpcTest.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import akka.grpc.GrpcClientSettings;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.platform.ServiceRuntime;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.order.v1.OrderStatus;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import dev.rampart.user.UserNode;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Order's customer check against the real User service (its own node and PostgreSQL journal, over
 * HTTP/2 gRPC): a registered customer's order is placed, an unknown customer's is refused and
 * nothing is stored.
 */
class OrderCustomerCheckTest {
  private static final String USER_HOST = "127.0.0.9";

  private static TestDatabase orderDb;
  private static TestDatabase userDb;
  private static ServiceRuntime user;
  private static PeerServers shipping;
  private static OrderNodes nodes;
  private static OrderServiceClient client;

  @BeforeAll
  static void start() throws Exception {
    orderDb = Postgres.shared().createDatabase("order_customer_check");
    userDb = Postgres.shared().createDatabase("order_customer_check_user");
    int userGrpc = FreePorts.on(USER_HOST);
    user = startUser(userGrpc);
    shipping = new PeerServers();
    String peers =
        OrderNode.USER
            + "="
            + USER_HOST
            + ":"
            + userGrpc
            + ","
            + OrderNode.SHIPPING
            + "="
            + shipping.hostPort();
    nodes = OrderNodes.start(1, orderDb, shipping, Map.of(Env.PEER_ENDPOINTS, peers));
    client = nodes.node(0).client();

    UserServiceClient users =
        UserServiceClient.create(
            GrpcClientSettings.connectToServiceAt(USER_HOST, userGrpc, user.system())
                .withTls(false),
            user.system());
    call(
        users.register(
            RegisterRequest.newBuilder()
                .setUserId("ursula")
                .setName("Ursula")
                .setEmail("ursula@example.com")
                .setAddress(
                    Address.newBuilder()
                        .setStreet("1 Main St")
                        .setCity("Berlin")
                        .setPostalCode("10115")
                        .setCountry("DE"))
                .build()));
  }

  private static ServiceRuntime startUser(int grpcPort) throws Exception {
    int management = FreePorts.on(USER_HOST);
    Map<String, String> env =
        Map.of(
            Env.POD_IP, USER_HOST,
            Env.MANAGEMENT_PORT, String.valueOf(management),
            Env.REMOTING_PORT, String.valueOf(FreePorts.on(USER_HOST)),
            Env.GRPC_PORT, String.valueOf(grpcPort),
            Env.CONTACT_POINTS, USER_HOST + ":" + management,
            Env.JDBC_URL, userDb.jdbcUrl(),
            Env.JDBC_USER, userDb.user(),
            Env.JDBC_PASSWORD, userDb.password());
    ServiceRuntime runtime =
        ServiceRuntime.start(
            "user",
            env,
            ConfigFactory.parseString(
                    "akka.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s")
                .withFallback(OrderNodes.TEST_CONFIG));
    UserNode node = UserNode.start(runtime.system(), Optional.empty());
    call(runtime.serveGrpc(node.grpcHandler()));
    return runtime;
  }

  @AfterAll
  static void stop() {
    if (nodes != null) nodes.close();
    if (shipping != null) shipping.close();
    if (user != null) user.close();
    if (orderDb != null) orderDb.close();
    if (userDb != null) userDb.close();
  }

  @Test
  void aRegisteredCustomersOrderIsPlaced() throws Exception {
    assertThat(call(client.placeOrder(order("cc-1", "ursula", line("mug", 2, 800)))).getStatus())
        .isEqualTo(OrderStatus.ORDER_STATUS_CONFIRMED);
  }

  @Test
  void anUnknownCustomersOrderIsRefusedAndNotStored() {
    assertThat(statusOf(client.placeOrder(order("cc-2", "nobody", line("mug", 1, 800)))))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(statusOf(client.getOrder(GetOrderRequest.newBuilder().setOrderId("cc-2").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }
}
