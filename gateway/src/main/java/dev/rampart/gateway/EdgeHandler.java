package dev.rampart.gateway;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.japi.function.Function;
import dev.rampart.contract.HttpApi;
import dev.rampart.contract.TraceContext;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request passes before the routes: a request id (the client's, if sane, else a new
 * one), a W3C trace context (the client's {@code traceparent}, if valid, continued with the
 * gateway's own span, else a new trace), CORS, bearer-token authentication, the per-client rate
 * limit, and metrics and one access-log line on the way out. The routes find the caller, request id
 * and trace as request attributes.
 */
final class EdgeHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  static final String WEBSOCKET_BEARER_PREFIX = "bearer.";
  static final AttributeKey<JwtAuthenticator.Caller> CALLER =
      AttributeKey.create("rampart-caller", JwtAuthenticator.Caller.class);

  /** The verified bearer token itself: an open stream checks it again while it lives. */
  static final AttributeKey<String> TOKEN = AttributeKey.create("rampart-token", String.class);

  static final AttributeKey<String> REQUEST_ID =
      AttributeKey.create("rampart-request-id", String.class);

  /** The gateway's span of this request; upstream calls carry a child of it. */
  static final AttributeKey<Trace> TRACE = AttributeKey.create("rampart-trace", Trace.class);

  /** A request's trace position and the client's {@code tracestate}, passed on unchanged. */
  record Trace(TraceContext context, Optional<String> tracestate) {}

  private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Logger log = LoggerFactory.getLogger(EdgeHandler.class);

  private final Function<HttpRequest, CompletionStage<HttpResponse>> routes;
  private final JwtAuthenticator jwt;
  private final TokenBuckets rateLimit;
  private final Cors cors;
  private final GatewayMetrics metrics;
  private final RouteTemplates templates;

  EdgeHandler(
      Function<HttpRequest, CompletionStage<HttpResponse>> routes,
      RouteTemplates templates,
      JwtAuthenticator jwt,
      TokenBuckets rateLimit,
      Cors cors,
      GatewayMetrics metrics) {
    this.routes = routes;
    this.templates = templates;
    this.jwt = jwt;
    this.rateLimit = rateLimit;
    this.cors = cors;
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest req) {
    long start = System.nanoTime();
    String path = req.getUri().path();
    String requestId =
        req.getHeader(REQUEST_ID_HEADER)
            .map(HttpHeader::value)
            .filter(v -> SANE_REQUEST_ID.matcher(v).matches())
            .orElseGet(EdgeHandler::newRequestId);
    Trace trace = trace(req);
    AtomicReference<JwtAuthenticator.Caller> caller = new AtomicReference<>();
    Optional<String> origin = Cors.origin(req);
    CompletionStage<HttpResponse> response;
    try {
      response =
          Cors.isPreflight(req)
              ? CompletableFuture.completedFuture(cors.preflight(req, path))
              : admit(
                  req.addAttribute(REQUEST_ID, requestId).addAttribute(TRACE, trace), path, caller);
    } catch (Problem.ProblemException e) {
      response = CompletableFuture.completedFuture(e.problem().toResponse(path));
    } catch (Exception e) {
      response = CompletableFuture.failedFuture(e);
    }
    return response
        .exceptionally(
            t -> {
              log.error(
                  "request {} {} failed unexpectedly [{} {}]",
                  req.method().name(),
                  path,
                  requestId,
                  trace.context().traceId(),
                  t);
              return Problem.of(500, "internal", "Internal error", "request id " + requestId)
                  .toResponse(path);
            })
        .thenApply(
            resp -> {
              long nanos = System.nanoTime() - start;
              String route = templates.of(path);
              metrics.request(route, req.method().name(), resp.status().intValue(), nanos);
              AccessLog.write(
                  req.method().name(),
                  route,
                  resp.status().intValue(),
                  nanos,
                  Optional.ofNullable(caller.get()),
                  requestId,
                  trace.context());
              return cors.decorate(
                  resp.addHeader(RawHeader.create(REQUEST_ID_HEADER, requestId))
                      .addHeader(
                          RawHeader.create(TraceContext.TRACEPARENT, trace.context().format())),
                  origin);
            });
  }

  /**
   * The client's trace continued with a span of the gateway's own, or a new trace when the client
   * sent none or a malformed one (replaced, never refused). A {@code tracestate} travels only with
   * the {@code traceparent} it belongs to.
   */
  private static Trace trace(HttpRequest req) {
    Optional<TraceContext> incoming =
        req.getHeader(TraceContext.TRACEPARENT).map(HttpHeader::value).flatMap(TraceContext::parse);
    if (incoming.isEmpty()) return new Trace(TraceContext.start(), Optional.empty());
    return new Trace(
        incoming.get().child(),
        req.getHeader(TraceContext.TRACESTATE)
            .map(HttpHeader::value)
            .flatMap(TraceContext::saneTracestate));
  }

  /**
   * The first {@code bearer.}-prefixed subprotocol offered; the route never selects it, so it is
   * not echoed.
   */
  private static Optional<String> webSocketProtocolToken(HttpRequest req) {
    for (HttpHeader h : req.getHeaders())
      if (h.is("sec-websocket-protocol"))
        for (String offered : h.value().split(","))
          if (offered.trim().startsWith(WEBSOCKET_BEARER_PREFIX))
            return Optional.of(offered.trim().substring(WEBSOCKET_BEARER_PREFIX.length()));
    return Optional.empty();
  }

  /** A random id; not a secret, so no SecureRandom (whose lock every request would share). */
  private static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  /**
   * Authenticates requests that carry a token, except to the gateway's own paths (probes, metrics,
   * the OpenAPI document) and the web app's (public, limited per address like anonymous calls),
   * then applies the caller's (or the address's) rate limit.
   */
  private CompletionStage<HttpResponse> admit(
      HttpRequest req, String path, AtomicReference<JwtAuthenticator.Caller> authenticated)
      throws Exception {
    if (HttpApi.GATEWAY_OWN_PATHS.contains(path)) return routes.apply(req);
    String anonymousKey =
        "addr:"
            + req.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(a -> a.getAddress())
                .map(a -> a.getHostAddress())
                .orElse("unknown");
    // a stray Authorization header is not read there: the page is the same for everyone
    Optional<String> token = HttpApi.isWebAppPath(path) ? Optional.empty() : bearerToken(req, path);
    if (token.isEmpty()) {
      limit(anonymousKey);
      return routes.apply(req);
    }
    JwtAuthenticator.Caller caller;
    try {
      caller = jwt.verify(token.get());
    } catch (Problem.ProblemException rejected) {
      limit(anonymousKey); // floods of bad tokens are limited per address
      throw rejected;
    }
    authenticated.set(caller);
    limit((caller.partner() ? "partner:" : "sub:") + caller.userId());
    return routes.apply(req.addAttribute(CALLER, caller).addAttribute(TOKEN, token.get()));
  }

  private void limit(String clientKey) {
    long waitNanos = rateLimit.tryAcquire(clientKey);
    if (waitNanos > 0) {
      metrics.rateLimited();
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      throw Problem.of(
              429,
              "rate-limited",
              "Too many requests",
              "rate limit exceeded; retry after " + seconds + " s")
          .withHeader(RawHeader.create("Retry-After", String.valueOf(seconds)))
          .asException();
    }
  }

  /**
   * The bearer token of a request: the Authorization header, or for the WebSocket (browsers cannot
   * set headers there) a {@code bearer.<token>} entry of Sec-WebSocket-Protocol. Never the URL: a
   * query parameter would land in access logs.
   */
  private Optional<String> bearerToken(HttpRequest req, String path) {
    Optional<String> header = req.getHeader("Authorization").map(HttpHeader::value);
    if (header.isPresent()) {
      String v = header.get().trim();
      if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7))
        throw Problem.unauthorized("Authorization must use the Bearer scheme").asException();
      return Optional.of(v.substring(7).trim());
    }
    if (templates.isWebSocket(path)) return webSocketProtocolToken(req);
    return Optional.empty();
  }
}
