package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import akka.pattern.CircuitBreakerOpenException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

/** The gRPC status -> HTTP mapping, for every status code. */
class UpstreamErrorsTest {
  @Test
  void everyGrpcStatusHasAnHttpStatusAndNoneIs500() {
    for (Status.Code code : Status.Code.values()) {
      int http = UpstreamErrors.httpStatus(code);
      assertThat(http).as(code.name()).isNotEqualTo(500);
      if (code != Status.Code.OK) assertThat(http).as(code.name()).isBetween(400, 504);
    }
    assertThat(UpstreamErrors.httpStatus(Status.Code.NOT_FOUND)).isEqualTo(404);
    assertThat(UpstreamErrors.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(UpstreamErrors.httpStatus(Status.Code.ALREADY_EXISTS)).isEqualTo(409);
    assertThat(UpstreamErrors.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(422);
    assertThat(UpstreamErrors.httpStatus(Status.Code.UNAVAILABLE)).isEqualTo(503);
    assertThat(UpstreamErrors.httpStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(UpstreamErrors.httpStatus(Status.Code.INTERNAL)).isEqualTo(502);
    assertThat(UpstreamErrors.httpStatus(Status.Code.UNKNOWN)).isEqualTo(502);
  }

  @Test
  void wrappedFailuresAreUnwrappedAndClassified() {
    Throwable wrapped =
        new CompletionException(Status.NOT_FOUND.withDescription("no user x").asRuntimeException());
    Problem p = UpstreamErrors.toProblem("user", wrapped);
    assertThat(p.status()).isEqualTo(404);
    assertThat(p.detail()).doesNotContain("user x"); // upstream text is logged, not answered
    assertThat(UpstreamErrors.isUpstreamFault(wrapped)).isFalse();

    Problem internal =
        UpstreamErrors.toProblem(
            "user", Status.INTERNAL.withDescription("stack trace here").asRuntimeException());
    assertThat(internal.status()).isEqualTo(502);
    assertThat(internal.detail()).doesNotContain("stack trace");
    assertThat(UpstreamErrors.isUpstreamFault(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(UpstreamErrors.isUpstreamFault(new TimeoutException())).isTrue();
    assertThat(UpstreamErrors.isUpstreamFault(Problem.badRequest("x").asException())).isFalse();

    assertThat(UpstreamErrors.toProblem("user", new TimeoutException()).status()).isEqualTo(504);
    Problem open =
        UpstreamErrors.toProblem(
            "user",
            new CircuitBreakerOpenException(FiniteDuration.create(7, TimeUnit.SECONDS), "open"));
    assertThat(open.status()).isEqualTo(503);
    assertThat(open.type()).endsWith("circuit-open");
    assertThat(open.headers()).anySatisfy(h -> assertThat(h.value()).isEqualTo("7"));
  }
}
