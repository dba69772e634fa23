package dev.rampart.user;

import akka.grpc.GrpcServiceException;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** How the User service's failures surface as gRPC statuses. */
final class GrpcFailures {

  static GrpcServiceException invalid(List<String> problems) {
    return new GrpcServiceException(
        Status.INVALID_ARGUMENT.withDescription(String.join("; ", problems)));
  }

  static GrpcServiceException of(UserFeed.Rejected rejected) {
    Status status =
        switch (rejected.problem()) {
          case NOT_FOUND -> Status.NOT_FOUND;
          case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
        };
    return new GrpcServiceException(status.withDescription(rejected.message()));
  }

  /**
   * An entity that does not answer in time (journal down, node lost) is UNAVAILABLE: the caller may
   * retry.
   */
  static Throwable unavailableOnTimeout(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException || cause instanceof akka.pattern.AskTimeoutException) {
      return new GrpcServiceException(
          Status.UNAVAILABLE.withDescription("the user entity did not answer in time"));
    }
    return cause;
  }

  private GrpcFailures() {}
}
