package dev.rampart.gateway;

import akka.pattern.CircuitBreakerOpenException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed upstream call looks to an HTTP client: the gRPC status mapped to an HTTP status, an
 * open circuit to 503 and a local timeout to 504. No upstream description reaches a client: it may
 * name other customers' data or internals, so it is logged and the client gets a fixed detail per
 * status.
 */
public final class UpstreamErrors {
  private static final Logger log = LoggerFactory.getLogger(UpstreamErrors.class);

  /** An unavailable upstream is usually a member leaving or joining: a second is enough. */
  static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

  private UpstreamErrors() {}

  /** The one 404 body for an entity: missing and not the caller's must look the same. */
  public static Problem notFound() {
    return Problem.notFound("no such resource");
  }

  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) c = c.getCause();
    return c;
  }

  /** HTTP status for a gRPC status code. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case FAILED_PRECONDITION -> 422;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED, UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default ->
          502; // UNKNOWN, INTERNAL, UNIMPLEMENTED, DATA_LOSS, CANCELLED, UNAUTHENTICATED: the
        // upstream's fault
    };
  }

  /** Metrics label of a finished call: the gRPC status code, or circuit-open / timeout. */
  public static String outcome(Throwable failure) {
    if (failure == null) return "OK";
    Throwable t = unwrap(failure);
    if (t instanceof CircuitBreakerOpenException) return "CIRCUIT_OPEN";
    if (t instanceof TimeoutException) return "TIMEOUT";
    return Status.fromThrowable(t).getCode().name();
  }

  /** Statuses that say the upstream is unhealthy (they count against its circuit breaker). */
  public static boolean isUpstreamFault(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof TimeoutException) return true;
    if (t instanceof Problem.ProblemException) return false;
    return switch (Status.fromThrowable(t).getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, DATA_LOSS, RESOURCE_EXHAUSTED -> true;
      default -> false;
    };
  }

  /** A gRPC UNAVAILABLE from the upstream or its channel (not the breaker's or bulkhead's 503). */
  static boolean isUnavailable(Throwable failure) {
    Throwable t = unwrap(failure);
    return !(t instanceof Problem.ProblemException)
        && !(t instanceof CircuitBreakerOpenException)
        && !(t instanceof TimeoutException)
        && Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE;
  }

  public static Problem toProblem(String upstream, Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof Problem.ProblemException pe) return pe.problem();
    if (t instanceof CircuitBreakerOpenException open)
      return Problem.of(
              503,
              "circuit-open",
              "Upstream temporarily disabled",
              "too many recent failures calling " + upstream + "; retry later")
          .withHeader(
              akka.http.javadsl.model.headers.RawHeader.create(
                  "Retry-After",
                  String.valueOf(Math.max(1, open.remainingDuration().toSeconds()))));
    if (t instanceof TimeoutException)
      return Problem.of(
          504, "upstream-timeout", "Upstream timed out", upstream + " did not answer in time");
    Status status = Status.fromThrowable(t);
    int http = httpStatus(status.getCode());
    log.info("upstream {} answered {}: {}", upstream, status.getCode(), status.getDescription());
    return switch (http) {
      case 400 -> Problem.badRequest("the service rejected the request as invalid");
      case 403 -> Problem.forbidden("the service refused the request");
      case 404 -> notFound();
      case 409 ->
          Problem.of(
              409,
              "conflict",
              "Conflict",
              "the request conflicts with the resource's current state");
      case 422 ->
          Problem.of(
              422,
              "precondition-failed",
              "Request cannot be processed in the current state",
              "a precondition of the request does not hold");
      // UNAVAILABLE and RESOURCE_EXHAUSTED are passing (a node leaving, a full queue): say when to
      // retry
      case 503 ->
          Problem.of(
                  503,
                  "upstream-unavailable",
                  "Upstream unavailable",
                  upstream + " is unavailable (" + status.getCode() + ")")
              .withHeader(
                  akka.http.javadsl.model.headers.RawHeader.create(
                      "Retry-After", String.valueOf(UNAVAILABLE_RETRY_AFTER_SECONDS)));
      case 504 ->
          Problem.of(
              504,
              "upstream-timeout",
              "Upstream timed out",
              upstream + " did not answer within the deadline");
      default ->
          Problem.of(
              502,
              "upstream-error",
              "Upstream error",
              upstream + " failed (" + status.getCode() + ")");
    };
  }
}
