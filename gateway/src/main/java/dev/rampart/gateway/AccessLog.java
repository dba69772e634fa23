package dev.rampart.gateway;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.rampart.contract.TraceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request on its own logger ({@value #LOGGER}), so it can be routed or silenced
 * apart from the application log. Fields are structured (JSON keys with {@code RAMPART_LOG_FORMAT
 * =json}): the route template, never the raw path with its ids; a hash of the caller's subject,
 * never the token or the subject itself.
 */
final class AccessLog {
  static final String LOGGER = "dev.rampart.gateway.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  /** Hex characters of the subject hash kept: enough to tell callers apart, short in a log. */
  static final int SUBJECT_HASH_CHARS = 16;

  private AccessLog() {}

  static void write(
      String method,
      String route,
      int status,
      long nanos,
      Optional<JwtAuthenticator.Caller> caller,
      String requestId,
      TraceContext trace) {
    if (!log.isInfoEnabled()) return;
    log.info(
        "{} {} {} {} {} {} {}",
        kv("method", method),
        kv("route", route),
        kv("status", status),
        kv("duration_ms", nanos / 1_000_000),
        kv("subject_hash", caller.map(c -> subjectHash(c.userId())).orElse("-")),
        kv("request_id", requestId),
        kv(TraceContext.MDC_TRACE_ID, trace.traceId()));
  }

  /**
   * A truncated SHA-256 of the subject under a fixed domain prefix: the same caller hashes alike
   * across pods and restarts (so one user's requests can be followed), and the log does not name
   * them.
   */
  static String subjectHash(String subject) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("rampart-access-log:" + subject).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, SUBJECT_HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
