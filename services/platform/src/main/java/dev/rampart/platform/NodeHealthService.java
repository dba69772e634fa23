package dev.rampart.platform;

import akka.NotUsed;
import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.grpc.GrpcServiceException;
import akka.management.HealthCheckSettings;
import akka.management.javadsl.HealthChecks;
import akka.stream.javadsl.Source;
import dev.rampart.proto.grpc.health.v1.Health;
import dev.rampart.proto.grpc.health.v1.HealthCheckRequest;
import dev.rampart.proto.grpc.health.v1.HealthCheckResponse;
import dev.rampart.proto.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code grpc.health.v1.Health} for one node: SERVING exactly when the node's Akka Management
 * readiness checks pass (member Up, journal reachable, not shutting down), so a gRPC client, {@code
 * grpcurl} or a {@code grpc:} probe sees what {@code /ready} says.
 */
final class NodeHealthService implements Health {
  private final HealthChecks checks;
  private final Set<String> services;
  private final Duration watchInterval;

  NodeHealthService(ActorSystem<?> system, Set<String> services) {
    this.checks =
        new HealthChecks(
            (ExtendedActorSystem) Adapter.toClassic(system),
            HealthCheckSettings.create(
                system.settings().config().getConfig("akka.management.health-checks")));
    this.services = services;
    this.watchInterval =
        system.settings().config().getDuration("rampart.grpc.health-watch-interval");
  }

  @Override
  public CompletionStage<HealthCheckResponse> check(HealthCheckRequest in) {
    if (!known(in.getService())) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(
              Status.NOT_FOUND.withDescription("unknown service " + in.getService())));
    }
    return status().thenApply(NodeHealthService::response);
  }

  /** The status now, then each change; an unknown service is SERVICE_UNKNOWN (the call stays). */
  @Override
  public Source<HealthCheckResponse, NotUsed> watch(HealthCheckRequest in) {
    if (!known(in.getService())) {
      return Source.single(response(ServingStatus.SERVICE_UNKNOWN)).concat(Source.never());
    }
    return Source.tick(Duration.ZERO, watchInterval, NotUsed.getInstance())
        .mapAsync(1, tick -> status())
        .statefulMap(
            () -> ServingStatus.UNKNOWN,
            (last, now) ->
                akka.japi.Pair.create(
                    now, now == last ? Optional.<ServingStatus>empty() : Optional.of(now)),
            last -> Optional.empty())
        .mapConcat(change -> change.map(java.util.List::of).orElse(java.util.List.of()))
        .map(NodeHealthService::response)
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
  }

  private boolean known(String service) {
    return service.isEmpty() || services.contains(service);
  }

  private CompletionStage<ServingStatus> status() {
    return checks
        .ready()
        .thenApply(ready -> ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
        .exceptionally(error -> ServingStatus.NOT_SERVING);
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }
}
