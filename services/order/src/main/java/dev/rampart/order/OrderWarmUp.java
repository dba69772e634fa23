package dev.rampart.order;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import dev.rampart.platform.JournalDatabase;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * What a new Order node does before it is Ready (platform {@code WarmUp}): the first Place of a
 * cold JVM used to miss the gateway's 5 s deadline while it opened journal connections, resolved
 * User and recovered its first entities, beside the load. Nothing here writes: the entities asked
 * for are ids no order can have, and a Get of an order that does not exist persists nothing.
 */
final class OrderWarmUp {
  /** Entities recovered at start: enough to compile the recovery and reply paths. */
  static final int ENTITIES = 20;

  static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** No order id has this prefix (OrderIds: base64url of a hash, 43 characters). */
  static final String ID_PREFIX = "rampart-warm-up-";

  private OrderWarmUp() {}

  static Map<String, Supplier<CompletionStage<?>>> steps(
      ActorSystem<?> system, String podName, UserServiceClient users) {
    Map<String, Supplier<CompletionStage<?>>> steps = new LinkedHashMap<>();
    steps.put("journal pool", () -> JournalDatabase.of(system).openAll(system));
    steps.put("user", () -> reachUser(users));
    steps.put("entities", () -> recoverEntities(system, podName));
    return steps;
  }

  /** Any answer from a User pod will do: the channel is resolved and connected. */
  private static CompletionStage<?> reachUser(UserServiceClient users) {
    return users
        .checkCustomer()
        .invoke(CheckCustomerRequest.newBuilder().setUserId(ID_PREFIX + "user").build())
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                Status.Code code = Status.fromThrowable(unwrap(failure)).getCode();
                if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                  throw new CompletionException(failure);
                }
              }
              return code(failure);
            });
  }

  /** Asks entities that do not exist: recovery from the journal, "not found" back. */
  private static CompletionStage<?> recoverEntities(ActorSystem<?> system, String podName) {
    ClusterSharding sharding = ClusterSharding.get(system);
    CompletableFuture<?>[] asks =
        IntStream.range(0, ENTITIES)
            .mapToObj(
                i ->
                    sharding
                        .entityRefFor(OrderEntity.TYPE_KEY, ID_PREFIX + podName + "-" + i)
                        .<OrderEntity.Summary>askWithStatus(OrderEntity.Get::new, ASK_TIMEOUT)
                        .handle(
                            (summary, failure) -> {
                              if (failure != null
                                  && !(unwrap(failure) instanceof StatusReply.ErrorMessage)) {
                                throw new CompletionException(failure);
                              }
                              return summary;
                            })
                        .toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(asks);
  }

  private static String code(Throwable failure) {
    return failure == null ? "OK" : Status.fromThrowable(unwrap(failure)).getCode().name();
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
