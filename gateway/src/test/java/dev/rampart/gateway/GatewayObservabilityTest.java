package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.contract.TraceContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access log and W3C trace context of a real gateway in front of real gRPC upstreams: the
 * access log is captured as the JSON a log collector would read.
 */
class GatewayObservabilityTest {
  static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";
  static GatewayHarness h;
  static final ListAppender<ILoggingEvent> access = new ListAppender<>();
  static final LogstashEncoder json = new LogstashEncoder();

  @BeforeAll
  static void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger(AccessLog.LOGGER);
    logger.setLevel(Level.INFO);
    access.setContext(context);
    access.start();
    logger.addAppender(access);
    json.setContext(context);
    json.start();
    h = new GatewayHarness(c -> c).warmedUp();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(access);
    if (h != null) h.close();
  }

  @Test
  void oneStructuredLinePerRequestWithTheRouteTemplateAndNoSubjectOrToken() throws Exception {
    String subject = "dora-access-log";
    String token = h.keys.token(subject);
    h.post("/api/users", token, GatewayHarness.registration(subject, "Dora"));
    HttpResponse<String> r =
        h.send(
            h.request("/api/users/" + subject, token)
                .header("X-Request-Id", "req-dora-1")
                .header("traceparent", CLIENT_TRACEPARENT)
                .GET()
                .build());
    assertThat(r.statusCode()).isEqualTo(200);

    JsonNode line = accessLine("req-dora-1");
    assertThat(line.get("logger_name").asText()).isEqualTo(AccessLog.LOGGER);
    assertThat(line.get("method").asText()).isEqualTo("GET");
    assertThat(line.get("route").asText()).isEqualTo("/api/users/{id}");
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(line.get("subject_hash").asText())
        .isEqualTo(AccessLog.subjectHash(subject))
        .hasSize(AccessLog.SUBJECT_HASH_CHARS);
    assertThat(line.get("trace_id").asText()).isEqualTo(CLIENT_TRACE);
    String raw = line.toString();
    assertThat(raw).doesNotContain(subject).doesNotContain(token);

    // unauthenticated: no subject to hash
    HttpResponse<String> anonymous =
        h.send(h.request("/healthz", null).header("X-Request-Id", "req-anon-1").GET().build());
    JsonNode anon = accessLine("req-anon-1");
    assertThat(anon.get("subject_hash").asText()).isEqualTo("-");
    assertThat(anon.get("status").asInt()).isEqualTo(anonymous.statusCode());
  }

  @Test
  void aValidTraceparentIsContinuedAndPassedToEveryUpstreamCallAsAChildSpan() {
    String subject = "erin-trace";
    String token = h.keys.token(subject);
    HttpResponse<String> r =
        h.send(
            h.request("/api/users", token)
                .header("Content-Type", "application/json")
                .header("traceparent", CLIENT_TRACEPARENT)
                .header("tracestate", "vendor=opaque")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        GatewayHarness.registration(subject, "Erin")))
                .build());
    assertThat(r.statusCode()).isEqualTo(201);
    TraceContext returned =
        TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow()).orElseThrow();
    assertThat(returned.traceId()).isEqualTo(CLIENT_TRACE);
    assertThat(returned.spanId()).isNotEqualTo("00f067aa0ba902b7");
    List<TraceContext> upstream =
        h.upstreams.traceparents.stream()
            .map(TraceContext::parse)
            .flatMap(Optional::stream)
            .filter(t -> t.traceId().equals(CLIENT_TRACE))
            .toList();
    assertThat(upstream).isNotEmpty();
    assertThat(upstream)
        .allSatisfy(
            t -> {
              assertThat(t.spanId()).isNotEqualTo(returned.spanId());
              assertThat(t.flags()).isEqualTo("01");
            });
  }

  @Test
  void aMissingOrMalformedTraceparentStartsANewTraceAndIsNeverRefused() {
    String token = h.keys.token("frank-trace");
    for (String bad :
        List.of(
            "",
            "garbage",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")) {
      HttpRequest.Builder b = h.request("/api/users/frank-trace", token).GET();
      if (!bad.isEmpty()) b.header("traceparent", bad);
      HttpResponse<String> r = h.send(b.build());
      assertThat(r.statusCode()).as(bad).isEqualTo(404);
      TraceContext started =
          TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow()).orElseThrow();
      assertThat(started.traceId()).as(bad).isNotEqualTo(CLIENT_TRACE);
      assertThat(started.flags()).isEqualTo("01");
    }
    // a future version with more fields is read as version 00
    assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"))
        .hasValueSatisfying(t -> assertThat(t.traceId()).isEqualTo(CLIENT_TRACE));
  }

  /** The captured access line of one request, as JSON. */
  private static JsonNode accessLine(String requestId) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> access.list.stream().anyMatch(e -> hasRequestId(e, requestId)));
    ILoggingEvent event =
        access.list.stream().filter(e -> hasRequestId(e, requestId)).findFirst().orElseThrow();
    return GatewayHarness.JSON.readTree(new String(json.encode(event), StandardCharsets.UTF_8));
  }

  private static boolean hasRequestId(ILoggingEvent e, String requestId) {
    return e.getFormattedMessage().contains("request_id=" + requestId);
  }
}
