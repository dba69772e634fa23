package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.rampart.proto.shipping.v1.Ack;
import dev.rampart.proto.shipping.v1.ShipmentExchangeClient;
import dev.rampart.proto.shipping.v1.ShippingToUser;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.CustomerCheck;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The User gRPC API over real HTTP/2 on loopback, against a one-node cluster with an H2 journal.
 */
class UserGrpcTest {
  static final Address HOME =
      Address.newBuilder()
          .setStreet("1 Main St")
          .setCity("Berlin")
          .setPostalCode("10115")
          .setCountry("DE")
          .build();

  static UserCluster cluster;
  static UserServiceClient client;

  @BeforeAll
  static void start() {
    cluster = UserCluster.start(1, UserCluster.h2("user-grpc"));
    client = cluster.node(0).client();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RegisterRequest register(String id) {
    return RegisterRequest.newBuilder()
        .setUserId(id)
        .setName("Alice")
        .setEmail(id + "@example.com")
        .setAddress(HOME)
        .build();
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Status statusOf(CompletionStage<?> call) {
    Throwable failure = catchThrowable(() -> await(call));
    assertThat(failure).as("the call must fail").isNotNull();
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    assertThat(cause).isInstanceOf(StatusRuntimeException.class);
    return ((StatusRuntimeException) cause).getStatus();
  }

  @Test
  void registersReadsAndChangesAUser() throws Exception {
    User registered = await(client.register(register("alice")));
    assertThat(registered.getUserId()).isEqualTo("alice");
    assertThat(registered.getOnline()).isFalse();
    assertThat(await(client.register(register("alice")))).as("idempotent").isEqualTo(registered);

    Address work = HOME.toBuilder().setStreet("2 Side St").build();
    User moved =
        await(
            client.changeAddress(
                ChangeAddressRequest.newBuilder().setUserId("alice").setAddress(work).build()));
    assertThat(moved.getAddress()).isEqualTo(work);
    assertThat(
            await(client.getUser(GetUserRequest.newBuilder().setUserId("alice").build()))
                .getAddress())
        .isEqualTo(work);
  }

  @Test
  void checkCustomerAnswersWhetherTheUserIsRegistered() throws Exception {
    await(client.register(register("cora")));
    CustomerCheck known =
        await(client.checkCustomer(CheckCustomerRequest.newBuilder().setUserId("cora").build()));
    assertThat(known.getUserId()).isEqualTo("cora");
    assertThat(known.getRegistered()).isTrue();
    assertThat(
            await(
                    client.checkCustomer(
                        CheckCustomerRequest.newBuilder().setUserId("nobody").build()))
                .getRegistered())
        .isFalse();
    assertThat(
            statusOf(
                    client.checkCustomer(
                        CheckCustomerRequest.newBuilder().setUserId("a b").build()))
                .getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void missingAndInvalidFieldsAreInvalidArgument() {
    Status missing =
        statusOf(client.register(RegisterRequest.newBuilder().setUserId("bob").build()));
    assertThat(missing.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing.getDescription())
        .contains("name must be", "email must", "address is required");

    Status badId =
        statusOf(
            client.getUser(GetUserRequest.newBuilder().setUserId("no spaces/allowed").build()));
    assertThat(badId.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    Status badCountry =
        statusOf(
            client.register(
                register("carol").toBuilder()
                    .setAddress(HOME.toBuilder().setCountry("Germany"))
                    .build()));
    assertThat(badCountry.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badCountry.getDescription()).contains("country");

    Status noAddress =
        statusOf(
            client.changeAddress(ChangeAddressRequest.newBuilder().setUserId("alice").build()));
    assertThat(noAddress.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void unknownUsersAreNotFound() {
    assertThat(
            statusOf(client.getUser(GetUserRequest.newBuilder().setUserId("nobody").build()))
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            statusOf(
                    client.changeAddress(
                        ChangeAddressRequest.newBuilder()
                            .setUserId("nobody")
                            .setAddress(HOME)
                            .build()))
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            statusOf(
                    client
                        .watchNotifications(
                            WatchNotificationsRequest.newBuilder().setUserId("nobody").build())
                        .runWith(Sink.seq(), cluster.node(0).runtime().system()))
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aResumeIdOfAnotherUserOrMalformedIsInvalid() throws Exception {
    await(client.register(register("erin")));
    for (String bad :
        List.of("frank:3", "erin:", "erin:x", "erin:-1", "erin:1234567890123456789")) {
      assertThat(
              statusOf(
                      client
                          .watchNotifications(
                              WatchNotificationsRequest.newBuilder()
                                  .setUserId("erin")
                                  .setAfterNotificationId(bad)
                                  .build())
                          .runWith(Sink.seq(), cluster.node(0).runtime().system()))
                  .getCode())
          .as(bad)
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void registeringATakenIdWithOtherDataIsAlreadyExists() throws Exception {
    await(client.register(register("dave")));
    Status status =
        statusOf(client.register(register("dave").toBuilder().setName("Someone Else").build()));
    assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void oversizedFieldsAreRejectedAndTheServerKeepsServing() throws Exception {
    String huge = "x".repeat(1_000_000);
    Status status = statusOf(client.register(register("erin").toBuilder().setName(huge).build()));
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("name must be 1..200");

    Status hugeId = statusOf(client.getUser(GetUserRequest.newBuilder().setUserId(huge).build()));
    assertThat(hugeId.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    assertThat(await(client.register(register("erin"))).getName()).isEqualTo("Alice");
  }

  @Test
  void anExchangeThatDoesNotStartWithHelloIsInvalidArgument() {
    ShipmentExchangeClient exchange =
        ShipmentExchangeClient.create(
            akka.grpc.GrpcClientSettings.connectToServiceAt(
                    cluster.node(0).host(),
                    cluster.node(0).grpcPort(),
                    cluster.node(0).runtime().system())
                .withTls(false),
            cluster.node(0).runtime().system());
    ShippingToUser notHello =
        ShippingToUser.newBuilder().setAck(Ack.newBuilder().setOffset(3)).build();
    Status status =
        statusOf(
            exchange
                .exchange(Source.single(notHello).concat(Source.maybe()))
                .runWith(Sink.seq(), cluster.node(0).runtime().system()));
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
