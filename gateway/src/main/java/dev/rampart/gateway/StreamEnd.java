package dev.rampart.gateway;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Why an open stream must end, as a source of at most one {@link Ending}: its token expires ({@link
 * JwtAuthenticator.Caller#validUntil}, exactly, without the clock skew allowed at verification),
 * the token's key leaves the key source (checked every {@code keyCheck}), or the gateway is going
 * away (its shutdown, after the drain).
 */
final class StreamEnd {
  /**
   * How a stream ends: the WebSocket close code, and the reason (also the SSE end event's data).
   */
  record Ending(int closeCode, String reason) {}

  /** WebSocket close code when the token expires or its key is withdrawn (as HTTP 401). */
  static final int CLOSE_UNAUTHORIZED = 4401;

  static final Ending EXPIRED = new Ending(CLOSE_UNAUTHORIZED, "token expired");
  static final Ending KEY_WITHDRAWN = new Ending(CLOSE_UNAUTHORIZED, "token key withdrawn");

  /** RFC 6455 1001: the server is going away; the client reconnects, to another pod. */
  static final Ending GOING_AWAY = new Ending(1001, "going away");

  private StreamEnd() {}

  static Source<Ending, NotUsed> of(
      JwtAuthenticator jwt,
      String token,
      Instant validUntil,
      Duration keyCheck,
      CompletionStage<?> goingAway) {
    Duration untilExpiry = Duration.between(Instant.now(), validUntil);
    Source<Ending, NotUsed> expiry =
        untilExpiry.isNegative() || untilExpiry.isZero()
            ? Source.single(EXPIRED)
            : Source.single(EXPIRED).initialDelay(untilExpiry);
    Source<Ending, NotUsed> withdrawal =
        Source.tick(keyCheck, keyCheck, KEY_WITHDRAWN)
            .filter(t -> !jwt.stillTrusted(token))
            .mapMaterializedValue(c -> NotUsed.getInstance());
    Source<Ending, NotUsed> shutdown = Source.completionStage(goingAway).map(done -> GOING_AWAY);
    return expiry.merge(withdrawal).merge(shutdown).take(1);
  }
}
