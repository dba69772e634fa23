package dev.rampart.platform;

import akka.grpc.javadsl.Metadata;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time a served gRPC call has left: its caller's deadline as the {@code grpc-timeout} request
 * header carries it (at most 8 digits and a unit, H M S m u n). A server that cannot finish in time
 * can then answer something better than the caller's own DEADLINE_EXCEEDED.
 */
public final class GrpcDeadline {
  static final String HEADER = "grpc-timeout";
  private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,8})([HMSmun])");

  private GrpcDeadline() {}

  public static Optional<Duration> of(Metadata metadata) {
    return metadata.getText(HEADER).flatMap(GrpcDeadline::parse);
  }

  static Optional<Duration> parse(String value) {
    Matcher m = TIMEOUT.matcher(value.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "H" -> Duration.ofHours(n);
          case "M" -> Duration.ofMinutes(n);
          case "S" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMillis(n);
          case "u" -> Duration.ofNanos(n * 1_000);
          default -> Duration.ofNanos(n);
        });
  }
}
