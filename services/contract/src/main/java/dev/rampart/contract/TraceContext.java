package dev.rampart.contract;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context position (https://www.w3.org/TR/trace-context/): the trace, the current span
 * and the flags, as carried by the {@code traceparent} header (HTTP) and gRPC metadata entry. No
 * tracer and no exporter: the ids exist so that the logs of one request can be found across the
 * gateway and the services.
 */
public record TraceContext(String traceId, String spanId, String flags) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  /** The MDC key the services and the gateway log the trace id under. */
  public static final String MDC_TRACE_ID = "trace_id";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern TRACESTATE_CHARS = Pattern.compile("[\\x20-\\x7e]{1,512}");
  private static final String SAMPLED = "01";

  /**
   * The header's context if it is valid; a version other than 00 is read as 00 (as the spec asks),
   * anything malformed or with an all-zero id is empty.
   */
  public static Optional<TraceContext> parse(String traceparent) {
    if (traceparent == null) return Optional.empty();
    String v = traceparent.trim();
    if (v.length() < 55) return Optional.empty();
    String version = v.substring(0, 2);
    if (!isHex(version) || version.equals("ff")) return Optional.empty();
    if (version.equals("00") ? v.length() != 55 : v.length() > 55 && v.charAt(55) != '-')
      return Optional.empty();
    if (v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') return Optional.empty();
    String traceId = v.substring(3, 35);
    String spanId = v.substring(36, 52);
    String flags = v.substring(53, 55);
    if (!isHex(traceId) || !isHex(spanId) || !isHex(flags)) return Optional.empty();
    if (isZero(traceId) || isZero(spanId)) return Optional.empty();
    return Optional.of(new TraceContext(traceId, spanId, flags));
  }

  /** A {@code tracestate} worth passing on: printable ASCII, at most 512 characters. */
  public static Optional<String> saneTracestate(String tracestate) {
    return Optional.ofNullable(tracestate)
        .map(String::trim)
        .filter(s -> TRACESTATE_CHARS.matcher(s).matches());
  }

  /** A new trace (random ids, sampled): what the gateway starts when the client sent none. */
  public static TraceContext start() {
    return new TraceContext(randomHex(2), randomHex(1), SAMPLED);
  }

  /** The same trace one hop on: a new span id, the same flags. */
  public TraceContext child() {
    return new TraceContext(traceId, randomHex(1), flags);
  }

  /** The {@code traceparent} header value. */
  public String format() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  private static boolean isHex(String s) {
    return HEX.matcher(s).matches();
  }

  private static boolean isZero(String s) {
    return s.chars().allMatch(c -> c == '0');
  }

  /** {@code longs} random 64-bit words as hex, never all zero; ids are not secrets. */
  private static String randomHex(int longs) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder(longs * 16);
    for (int i = 0; i < longs; i++) {
      long word = r.nextLong();
      if (i == longs - 1 && word == 0 && b.chars().allMatch(c -> c == '0')) word = 1;
      b.append(String.format("%016x", word));
    }
    return b.toString();
  }
}
