package dev.rampart.platform;

import akka.actor.typed.ActorSystem;
import akka.grpc.ServiceDescription;
import akka.grpc.javadsl.ServerReflection;
import akka.grpc.javadsl.ServiceHandler;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import dev.rampart.proto.grpc.health.v1.Health;
import dev.rampart.proto.grpc.health.v1.HealthHandlerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * A node's gRPC handler: its own services plus the two every gRPC tool expects, server reflection
 * (v1alpha, the version Akka gRPC serves; grpcurl falls back to it) and {@code grpc.health.v1}
 * ({@link NodeHealthService}), every call timed ({@link GrpcServerMetrics}) and its trace in the
 * MDC ({@link GrpcTrace}).
 */
public final class StandardGrpc {
  static final String REFLECTION = "grpc.reflection.v1alpha.ServerReflection";

  private StandardGrpc() {}

  /**
   * {@code described} are the services {@code handlers} serve (their generated {@code
   * description}s), for reflection and per-service health.
   */
  @SafeVarargs
  public static Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      ActorSystem<?> system,
      List<ServiceDescription> described,
      Function<HttpRequest, CompletionStage<HttpResponse>>... handlers) {
    List<ServiceDescription> all = new ArrayList<>(described);
    all.add(Health.description);
    NodeHealthService health =
        new NodeHealthService(
            system,
            described.stream()
                .map(ServiceDescription::name)
                .collect(Collectors.toUnmodifiableSet()));
    List<Function<HttpRequest, CompletionStage<HttpResponse>>> chain =
        new ArrayList<>(List.of(handlers));
    chain.add(HealthHandlerFactory.create(health, system));
    chain.add(ServerReflection.create(all, system));
    @SuppressWarnings("unchecked")
    Function<HttpRequest, CompletionStage<HttpResponse>>[] array = chain.toArray(Function[]::new);
    var metrics =
        new GrpcServerMetrics(
            PlatformMetrics.get(system).registry(),
            java.util.stream.Stream.concat(
                    all.stream().map(ServiceDescription::name),
                    java.util.stream.Stream.of(REFLECTION))
                .collect(Collectors.toUnmodifiableSet()));
    return GrpcTrace.traced(metrics.timed(ServiceHandler.concatOrNotFound(array)));
  }
}
