package dev.rampart.platform;

import akka.actor.ActorSystem;
import akka.grpc.Trailers;
import akka.grpc.javadsl.GrpcExceptionHandler;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.japi.Function;
import io.grpc.Status;

/**
 * Maps failures that escape a gRPC service implementation to a status: a request over {@code
 * rampart.grpc.max-request-bytes} is RESOURCE_EXHAUSTED (as grpc-java servers answer); the rest as
 * Akka gRPC's default does. Pass {@link #mapper()} to {@code XHandlerFactory.create(impl,
 * GrpcErrors.mapper(), system)}.
 */
public final class GrpcErrors {
  public static Function<ActorSystem, Function<Throwable, Trailers>> mapper() {
    Function<ActorSystem, Function<Throwable, Trailers>> standard =
        GrpcExceptionHandler.defaultMapper();
    return system -> {
      Function<Throwable, Trailers> fallback = standard.apply(system);
      return error -> {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof EntityStreamSizeException)) {
          cause = cause.getCause();
        }
        if (cause instanceof EntityStreamSizeException) {
          return new Trailers(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "request message larger than "
                      + ((EntityStreamSizeException) cause).limit()
                      + " bytes"));
        }
        return fallback.apply(error);
      };
    };
  }

  private GrpcErrors() {}
}
