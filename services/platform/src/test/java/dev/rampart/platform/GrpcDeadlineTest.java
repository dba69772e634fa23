package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The grpc-timeout header as the gRPC spec writes it: up to 8 digits and one unit. */
class GrpcDeadlineTest {
  @Test
  void everyUnitOfTheSpecIsRead() {
    assertThat(GrpcDeadline.parse("2H")).contains(Duration.ofHours(2));
    assertThat(GrpcDeadline.parse("3M")).contains(Duration.ofMinutes(3));
    assertThat(GrpcDeadline.parse("5S")).contains(Duration.ofSeconds(5));
    assertThat(GrpcDeadline.parse("4999m")).contains(Duration.ofMillis(4999));
    assertThat(GrpcDeadline.parse("1500000u")).contains(Duration.ofMillis(1500));
    assertThat(GrpcDeadline.parse("99999999n")).contains(Duration.ofNanos(99_999_999));
  }

  @Test
  void anythingElseIsNoDeadline() {
    assertThat(GrpcDeadline.parse("")).isEmpty();
    assertThat(GrpcDeadline.parse("5")).isEmpty();
    assertThat(GrpcDeadline.parse("5s")).isEmpty();
    assertThat(GrpcDeadline.parse("123456789m")).isEmpty();
    assertThat(GrpcDeadline.parse("-5S")).isEmpty();
  }
}
