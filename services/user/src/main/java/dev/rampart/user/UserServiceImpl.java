package dev.rampart.user;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.CustomerCheck;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.UserService;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The User gRPC API: validates, asks the sharded {@link UserEntity}, maps the answer to a gRPC
 * status.
 */
public final class UserServiceImpl implements UserService {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ActorRef<Presence.Command> presence;
  private final Duration askTimeout;
  private final int watchBufferSize;

  public UserServiceImpl(ActorSystem<?> system, ActorRef<Presence.Command> presence) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.presence = presence;
    this.askTimeout = system.settings().config().getDuration("rampart.user.ask-timeout");
    this.watchBufferSize = system.settings().config().getInt("rampart.user.watch.buffer-size");
  }

  @Override
  public CompletionStage<User> register(RegisterRequest in) {
    List<String> problems = UserProtocol.registerProblems(in);
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return ask(
        in.getUserId(),
        replyTo ->
            new UserEntity.Register(
                in.getName(), in.getEmail(), UserProtocol.fromProto(in.getAddress()), replyTo));
  }

  @Override
  public CompletionStage<User> getUser(GetUserRequest in) {
    List<String> problems = UserProtocol.userIdProblems(in.getUserId());
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return ask(in.getUserId(), UserEntity.Get::new);
  }

  /** Answered by the entity from the profile alone: no history view, no presence ask. */
  @Override
  public CompletionStage<CustomerCheck> checkCustomer(CheckCustomerRequest in) {
    List<String> problems = UserProtocol.userIdProblems(in.getUserId());
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, in.getUserId())
        .<UserEntity.Reply>ask(UserEntity.CheckRegistered::new, askTimeout)
        .exceptionally(
            failure -> {
              throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
            })
        .thenApply(
            reply ->
                CustomerCheck.newBuilder()
                    .setUserId(in.getUserId())
                    .setRegistered(((UserEntity.Registration) reply).registered())
                    .build());
  }

  @Override
  public CompletionStage<User> changeAddress(ChangeAddressRequest in) {
    List<String> problems = new java.util.ArrayList<>(UserProtocol.userIdProblems(in.getUserId()));
    problems.addAll(
        UserProtocol.addressProblems(
            in.hasAddress() ? Optional.of(in.getAddress()) : Optional.empty()));
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return ask(
        in.getUserId(),
        replyTo -> new UserEntity.ChangeAddress(UserProtocol.fromProto(in.getAddress()), replyTo));
  }

  /**
   * Live notifications of a registered user. The stream's actor subscribes to the user's topic on
   * this node; a slow client loses the oldest buffered notifications rather than holding up the
   * publisher.
   */
  @Override
  public Source<Notification, NotUsed> watchNotifications(WatchNotificationsRequest in) {
    String userId = in.getUserId();
    List<String> problems = UserProtocol.userIdProblems(userId);
    if (!problems.isEmpty()) {
      return Source.failed(GrpcFailures.invalid(problems));
    }
    return Source.completionStage(ask(userId, UserEntity.Get::new))
        .flatMapConcat(
            user ->
                ActorSource.<Notification>actorRef(
                        n -> false,
                        n -> Optional.empty(),
                        watchBufferSize,
                        OverflowStrategy.dropHead())
                    .mapMaterializedValue(
                        stream -> {
                          String localId = UUID.randomUUID().toString();
                          system.systemActorOf(
                              NotificationWatcher.create(
                                  userId, Presence.streamId(system, localId), stream, presence),
                              "notification-watch-" + localId,
                              Props.empty());
                          return NotUsed.getInstance();
                        }));
  }

  private CompletionStage<User> ask(
      String userId, Function<ActorRef<UserEntity.Reply>, UserEntity.Command> command) {
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, userId)
        .ask(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
            })
        .thenCompose(
            reply -> {
              if (reply instanceof UserEntity.Rejected rejected) {
                return CompletableFuture.failedFuture(GrpcFailures.of(rejected));
              }
              UserEntity.UserView view = ((UserEntity.Current) reply).user();
              return AskPattern.<Presence.Command, Boolean>ask(
                      presence,
                      r -> new Presence.IsOnline(userId, r),
                      askTimeout,
                      system.scheduler())
                  .thenApply(online -> UserProtocol.toProto(view, online));
            });
  }

  private static java.util.concurrent.CompletionException asCompletionException(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException c
        ? c
        : new java.util.concurrent.CompletionException(t);
  }
}
