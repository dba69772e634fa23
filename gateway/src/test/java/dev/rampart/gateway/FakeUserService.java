package dev.rampart.gateway;

import akka.NotUsed;
import akka.actor.ActorSystem;
import akka.grpc.GrpcServiceException;
import akka.japi.Pair;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.CustomerCheck;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.UserService;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small in-memory UserService with the real contract's behaviour (idempotent register,
 * ALREADY_EXISTS, NOT_FOUND, live notifications per user), served over real gRPC as the gateway's
 * upstream in gateway tests. {@link #faults} injects a gRPC status or a delay for one user id.
 */
final class FakeUserService implements UserService {
  record Fault(Status status, Duration delay) {}

  final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Map<String, List<SourceQueueWithComplete<Notification>>> watchers =
      new ConcurrentHashMap<>();
  private final ActorSystem system;

  FakeUserService(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<User> register(RegisterRequest in) {
    return withFault(
        in.getUserId(),
        () -> {
          if (in.getUserId().isEmpty() || in.getName().isEmpty())
            throw error(Status.INVALID_ARGUMENT, "user_id and name are required");
          User candidate =
              User.newBuilder()
                  .setUserId(in.getUserId())
                  .setName(in.getName())
                  .setEmail(in.getEmail())
                  .setAddress(in.getAddress())
                  .build();
          User existing = users.putIfAbsent(in.getUserId(), candidate);
          if (existing != null) {
            User same = existing.toBuilder().clearOrders().setOnline(false).build();
            if (!same.equals(candidate))
              throw error(
                  Status.ALREADY_EXISTS, "user " + in.getUserId() + " exists with different data");
            return existing;
          }
          return candidate;
        });
  }

  @Override
  public CompletionStage<User> getUser(GetUserRequest in) {
    return withFault(in.getUserId(), () -> withPresence(find(in.getUserId())));
  }

  @Override
  public CompletionStage<CustomerCheck> checkCustomer(CheckCustomerRequest in) {
    return withFault(
        in.getUserId(),
        () ->
            CustomerCheck.newBuilder()
                .setUserId(in.getUserId())
                .setRegistered(users.containsKey(in.getUserId()))
                .build());
  }

  @Override
  public CompletionStage<User> changeAddress(ChangeAddressRequest in) {
    return withFault(
        in.getUserId(),
        () -> {
          User updated =
              users.computeIfPresent(
                  in.getUserId(), (id, u) -> u.toBuilder().setAddress(in.getAddress()).build());
          if (updated == null) throw error(Status.NOT_FOUND, "no user " + in.getUserId());
          publish(
              Notification.newBuilder()
                  .setNotificationId("addr-" + System.nanoTime())
                  .setUserId(in.getUserId())
                  .setAtEpochMillis(System.currentTimeMillis())
                  .setAddressChanged(
                      dev.rampart.proto.user.v1.AddressChanged.newBuilder()
                          .setAddress(in.getAddress()))
                  .build());
          return updated;
        });
  }

  @Override
  public Source<Notification, NotUsed> watchNotifications(WatchNotificationsRequest in) {
    Fault f = faults.get(in.getUserId());
    if (f != null && f.status() != null) return Source.failed(error(f.status(), "injected"));
    Pair<SourceQueueWithComplete<Notification>, Source<Notification, NotUsed>> pair =
        Source.<Notification>queue(256, OverflowStrategy.dropHead()).preMaterialize(system);
    List<SourceQueueWithComplete<Notification>> list =
        watchers.computeIfAbsent(in.getUserId(), k -> new CopyOnWriteArrayList<>());
    list.add(pair.first());
    pair.first().watchCompletion().whenComplete((d, t) -> list.remove(pair.first()));
    return pair.second();
  }

  /** Open notification streams of a user. */
  int watchers(String userId) {
    return watchers.getOrDefault(userId, List.of()).size();
  }

  void publish(Notification n) {
    for (SourceQueueWithComplete<Notification> q : watchers.getOrDefault(n.getUserId(), List.of()))
      q.offer(n);
  }

  boolean exists(String userId) {
    return users.containsKey(userId);
  }

  void recordOrder(String userId, OrderSummary summary) {
    users.computeIfPresent(
        userId,
        (id, u) -> u.toBuilder().addOrders(summary).setOrderCount(u.getOrderCount() + 1).build());
  }

  private User find(String id) {
    User u = users.get(id);
    if (u == null) throw error(Status.NOT_FOUND, "no user " + id);
    return u;
  }

  private User withPresence(User u) {
    return u.toBuilder().setOnline(watchers(u.getUserId()) > 0).build();
  }

  private <T> CompletionStage<T> withFault(String userId, java.util.function.Supplier<T> body) {
    Fault f = faults.get(userId);
    CompletableFuture<Void> delay =
        f == null || f.delay() == null
            ? CompletableFuture.completedFuture(null)
            : new CompletableFuture<Void>()
                .completeOnTimeout(null, f.delay().toMillis(), TimeUnit.MILLISECONDS);
    return delay.thenApply(
        x -> {
          if (f != null && f.status() != null) throw error(f.status(), "injected fault");
          return body.get();
        });
  }

  static GrpcServiceException error(Status status, String description) {
    return new GrpcServiceException(status.withDescription(description));
  }
}
