package dev.rampart.gateway;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.time.Instant;

/**
 * Why an open stream must end, as a source of at most one reason: its token expires ({@link
 * JwtAuthenticator.Caller#validUntil}, exactly, without the clock skew allowed at verification), or
 * the token's key leaves the key source (checked every {@code keyCheck}).
 */
final class StreamEnd {
  static final String EXPIRED = "token expired";
  static final String KEY_WITHDRAWN = "token key withdrawn";

  private StreamEnd() {}

  static Source<String, NotUsed> of(
      JwtAuthenticator jwt, String token, Instant validUntil, Duration keyCheck) {
    Duration untilExpiry = Duration.between(Instant.now(), validUntil);
    Source<String, NotUsed> expiry =
        untilExpiry.isNegative() || untilExpiry.isZero()
            ? Source.single(EXPIRED)
            : Source.single(EXPIRED).initialDelay(untilExpiry);
    Source<String, NotUsed> withdrawal =
        Source.tick(keyCheck, keyCheck, KEY_WITHDRAWN)
            .filter(t -> !jwt.stillTrusted(token))
            .mapMaterializedValue(c -> NotUsed.getInstance());
    return expiry.merge(withdrawal).take(1);
  }
}
