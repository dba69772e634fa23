package dev.rampart.user;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
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
 * The User gRPC API: validates, asks the user's sharded {@link UserFeed} (profile, notifications)
 * and {@link OrderHistory} (orders), maps the answer to a gRPC status.
 */
public final class UserServiceImpl implements UserService {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ActorRef<Presence.Command> presence;
  private final Duration askTimeout;
  private final int watchBufferSize;
  private final int replayMax;
  private final Duration probeInterval;
  private final Duration probeTimeout;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final OrderHistoryProjection history;

  public UserServiceImpl(
      ActorSystem<?> system,
      ActorRef<Presence.Command> presence,
      CurrentEventsByPersistenceIdQuery journal,
      OrderHistoryProjection history) {
    this.system = system;
    this.history = history;
    this.sharding = ClusterSharding.get(system);
    this.presence = presence;
    this.journal = journal;
    var config = system.settings().config();
    this.askTimeout = config.getDuration("rampart.user.ask-timeout");
    this.watchBufferSize = config.getInt("rampart.user.watch.buffer-size");
    this.replayMax = config.getInt("rampart.user.watch.replay-max");
    this.probeInterval = config.getDuration("rampart.user.watch.probe-interval");
    this.probeTimeout = config.getDuration("rampart.user.watch.probe-timeout");
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
            new UserFeed.Register(
                in.getName(), in.getEmail(), UserProtocol.fromProto(in.getAddress()), replyTo));
  }

  @Override
  public CompletionStage<User> getUser(GetUserRequest in) {
    List<String> problems = UserProtocol.userIdProblems(in.getUserId());
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return ask(in.getUserId(), UserFeed.Get::new);
  }

  /** Answered by the entity from the profile alone: no history view, no presence ask. */
  @Override
  public CompletionStage<CustomerCheck> checkCustomer(CheckCustomerRequest in) {
    List<String> problems = UserProtocol.userIdProblems(in.getUserId());
    if (!problems.isEmpty()) {
      return CompletableFuture.failedFuture(GrpcFailures.invalid(problems));
    }
    return sharding
        .entityRefFor(UserFeed.TYPE_KEY, in.getUserId())
        .<UserFeed.Reply>ask(UserFeed.CheckRegistered::new, askTimeout)
        .exceptionally(
            failure -> {
              throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
            })
        .thenApply(
            reply ->
                CustomerCheck.newBuilder()
                    .setUserId(in.getUserId())
                    .setRegistered(((UserFeed.Registration) reply).registered())
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
        replyTo -> new UserFeed.ChangeAddress(UserProtocol.fromProto(in.getAddress()), replyTo));
  }

  /**
   * The notifications of a registered user after the client's last seen id (or after the call), at
   * least once. The stream's watcher subscribes to the user's topic on this node and probes the
   * entity until the probe comes back on the topic (the subscription has spread); everything the
   * topic carried before it is dropped, the changes up to the probe's sequence number are read from
   * the journal (at most the last {@code replay-max} events), then the live ones follow. Ids rise,
   * so one number (the last sent) dedupes. A slow client loses the oldest buffered live
   * notifications rather than holding up the publisher.
   */
  @Override
  public Source<Notification, NotUsed> watchNotifications(WatchNotificationsRequest in) {
    String userId = in.getUserId();
    List<String> problems = new java.util.ArrayList<>(UserProtocol.userIdProblems(userId));
    Optional<Long> resumeAfter = Optional.empty();
    if (problems.isEmpty() && !in.getAfterNotificationId().isEmpty()) {
      resumeAfter = Notifications.sequenceNr(userId, in.getAfterNotificationId());
      if (resumeAfter.isEmpty()) {
        problems.add("after_notification_id must be one of this user's ids, <user_id>:<n>");
      }
    }
    if (!problems.isEmpty()) {
      return Source.failed(GrpcFailures.invalid(problems));
    }
    Optional<Long> after = resumeAfter;
    return Source.completionStage(position(userId))
        .flatMapConcat(
            position -> {
              long from = Math.min(after.orElse(position), position);
              return watch(userId, from);
            });
  }

  private Source<Notification, NotUsed> watch(String userId, long after) {
    String watchId = UUID.randomUUID().toString();
    return ActorSource.<UserFeed.Published>actorRef(
            m -> false,
            m ->
                m instanceof NotificationWatcher.ProbeTimedOut
                    ? Optional.of(
                        new io.grpc.StatusRuntimeException(
                            io.grpc.Status.UNAVAILABLE.withDescription(
                                "the user's notifications did not reach this node in time")))
                    : Optional.empty(),
            watchBufferSize,
            OverflowStrategy.dropHead())
        .mapMaterializedValue(
            stream -> {
              system.systemActorOf(
                  NotificationWatcher.create(
                      userId,
                      watchId,
                      stream,
                      presence,
                      sharding.entityRefFor(UserFeed.TYPE_KEY, userId),
                      probeInterval,
                      probeTimeout),
                  "notification-watch-" + watchId,
                  Props.empty());
              return NotUsed.getInstance();
            })
        .dropWhile(m -> !(m instanceof UserFeed.Probed p && p.watchId().equals(watchId)))
        .prefixAndTail(1)
        .flatMapConcat(
            pair -> {
              if (pair.first().isEmpty()) {
                return Source.<Notification>empty();
              }
              long upTo = ((UserFeed.Probed) pair.first().get(0)).sequenceNr();
              Source<Notification, NotUsed> replay =
                  journal
                      .currentEventsByPersistenceId(
                          UserFeed.persistenceId(userId).id(),
                          Math.max(after + 1, upTo - replayMax + 1),
                          upTo)
                      .mapConcat(
                          e ->
                              Notifications.of(userId, e.sequenceNr(), (UserFeed.Event) e.event())
                                  .stream()
                                  .toList());
              Source<Notification, NotUsed> live =
                  pair.second()
                      .filter(m -> m instanceof UserFeed.Changed)
                      .map(m -> Notification.parseFrom(((UserFeed.Changed) m).notification()));
              return replay.concat(live);
            })
        .statefulMapConcat(
            () -> {
              long[] lastSent = {after};
              return n -> {
                long seqNr = Notifications.sequenceNr(userId, n.getNotificationId()).orElse(0L);
                if (seqNr <= lastSent[0]) {
                  return List.<Notification>of();
                }
                lastSent[0] = seqNr;
                return List.of(n);
              };
            });
  }

  /** The entity's last sequence number; fails NOT_FOUND for an unregistered user. */
  private CompletionStage<Long> position(String userId) {
    return sharding
        .entityRefFor(UserFeed.TYPE_KEY, userId)
        .<UserFeed.Reply>ask(UserFeed.GetPosition::new, askTimeout)
        .exceptionally(
            failure -> {
              throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
            })
        .thenCompose(
            reply ->
                reply instanceof UserFeed.Rejected rejected
                    ? CompletableFuture.failedFuture(GrpcFailures.of(rejected))
                    : CompletableFuture.completedFuture(
                        ((UserFeed.Position) reply).lastSequenceNr()));
  }

  private CompletionStage<User> ask(
      String userId, Function<ActorRef<UserFeed.Reply>, UserFeed.Command> command) {
    return sharding
        .entityRefFor(UserFeed.TYPE_KEY, userId)
        .ask(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
            })
        .thenCompose(
            reply -> {
              if (reply instanceof UserFeed.Rejected rejected) {
                return CompletableFuture.failedFuture(GrpcFailures.of(rejected));
              }
              UserFeed.Current current = (UserFeed.Current) reply;
              // the history up to the feed's position: every order event the feed has is shown
              return history
                  .catchUp(userId, current.position())
                  .exceptionally(
                      failure -> {
                        throw asCompletionException(GrpcFailures.unavailableOnTimeout(failure));
                      })
                  .thenCompose(
                      orders ->
                          AskPattern.<Presence.Command, Boolean>ask(
                                  presence,
                                  r -> new Presence.IsOnline(userId, r),
                                  askTimeout,
                                  system.scheduler())
                              .thenApply(
                                  online ->
                                      UserProtocol.toProto(current.profile(), orders, online)));
            });
  }

  private static java.util.concurrent.CompletionException asCompletionException(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException c
        ? c
        : new java.util.concurrent.CompletionException(t);
  }
}
