package dev.rampart.gateway;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.settings.ClientConnectionSettings;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.japi.function.Function;
import akka.stream.Materializer;
import akka.stream.StreamTcpException;
import dev.rampart.contract.TraceContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's egress, served on its internal listener only: {@code /egress/<name>/<rest>} is
 * forwarded to {@code <baseUrl>/<rest>} of the configured endpoint (method, body, content type,
 * query and end-to-end headers; hop-by-hop headers dropped; the caller's Authorization replaced by
 * the endpoint's configured one, or dropped), and the answer comes back the same way. Bodies are
 * read whole (no streaming). Unknown name 404, no answer in time 504, no connection (refused, TLS
 * failure, unreadable credentials) 502. Every call is metered by endpoint and status class and
 * access-logged.
 */
final class EgressProxy implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  static final String PREFIX = "/egress/";
  static final long MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);

  /** RFC 9110 7.6.1 hop-by-hop headers, and what the entity or the client sets itself. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "content-type",
          "authorization",
          "timeout-access",
          "remote-address",
          "raw-request-uri",
          "tls-session-info",
          "date",
          "server");

  private record Endpoint(String name, URI base, EgressFiles files) {}

  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final ActorSystem system;
  private final Materializer materializer;
  private final ConnectionPoolSettings pool;
  private final Duration timeout;
  private final GatewayMetrics metrics;

  EgressProxy(GatewayConfig.Egress egress, ActorSystem system, GatewayMetrics metrics) {
    egress
        .endpoints()
        .forEach(
            (name, base) ->
                endpoints.put(name, new Endpoint(name, base, new EgressFiles(egress.dir(), name))));
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.metrics = metrics;
    var config = system.settings().config().getConfig("rampart.gateway.egress");
    this.timeout = config.getDuration("timeout");
    // the caller retries (Shipping asks its carrier again): a retry here would only hide the fault
    this.pool =
        ConnectionPoolSettings.create(system)
            .withMaxRetries(0)
            .withConnectionSettings(
                ClientConnectionSettings.create(system)
                    .withConnectingTimeout(
                        scala.concurrent.duration.FiniteDuration.fromNanos(
                            config.getDuration("connecting-timeout").toNanos())));
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest req) {
    long start = System.nanoTime();
    String path = req.getUri().path();
    String name = endpointName(path);
    Endpoint endpoint = endpoints.get(name);
    String requestId =
        req.getHeader(EdgeHandler.REQUEST_ID_HEADER)
            .map(HttpHeader::value)
            .orElseGet(() -> UUID.randomUUID().toString());
    TraceContext trace =
        req.getHeader(TraceContext.TRACEPARENT)
            .map(HttpHeader::value)
            .flatMap(TraceContext::parse)
            .orElseGet(TraceContext::start);
    CompletionStage<HttpResponse> response;
    if (endpoint == null) {
      response =
          CompletableFuture.completedFuture(
              Problem.of(404, "unknown-egress", "Not found", "no such egress endpoint")
                  .toResponse(path));
    } else {
      response = forward(endpoint, req, path);
    }
    return response.thenApply(
        resp -> {
          long nanos = System.nanoTime() - start;
          String label = endpoint == null ? "unknown" : endpoint.name();
          metrics.egress(label, resp.status().intValue(), nanos);
          AccessLog.write(
              req.method().name(),
              PREFIX + (endpoint == null ? "{unknown}" : endpoint.name()),
              resp.status().intValue(),
              nanos,
              Optional.empty(),
              requestId,
              trace);
          return resp;
        });
  }

  /** {@code carrier} of {@code /egress/carrier/v1/bookings}; empty when the path is no egress. */
  static String endpointName(String path) {
    if (!path.startsWith(PREFIX)) return "";
    int end = path.indexOf('/', PREFIX.length());
    return path.substring(PREFIX.length(), end < 0 ? path.length() : end);
  }

  private CompletionStage<HttpResponse> forward(Endpoint endpoint, HttpRequest req, String path) {
    String rawPath = req.getUri().asScala().path().toString();
    String rest =
        rawPath.substring(Math.min(rawPath.length(), PREFIX.length() + endpoint.name().length()));
    // no step above the endpoint's base path ("..", also percent-encoded: the decoded path)
    for (String segment : rawPath.split("/"))
      if (isDotSegment(segment))
        return CompletableFuture.completedFuture(
            Problem.badRequest("dot segments are not forwarded").toResponse(path));
    String base = endpoint.base().toString();
    if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    String target = base + rest + req.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    Optional<String> authorization;
    Optional<HttpsConnectionContext> tls;
    try {
      authorization = endpoint.files().authorization();
      tls = endpoint.files().tls();
    } catch (RuntimeException e) {
      log.warn("egress {}: {}", endpoint.name(), e.getMessage());
      return CompletableFuture.completedFuture(
          Problem.of(
                  502, "egress-misconfigured", "Bad gateway", "the egress endpoint is not usable")
              .toResponse(path));
    }
    return req.entity()
        .toStrict(timeout.toMillis(), MAX_BODY_BYTES, materializer)
        .thenCompose(
            body -> {
              HttpRequest out =
                  HttpRequest.create(target)
                      .withMethod(req.method())
                      .withEntity(body)
                      .addHeaders(forwarded(req.getHeaders()));
              if (authorization.isPresent())
                out = out.addHeader(RawHeader.create("Authorization", authorization.get()));
              Http http = Http.get(system);
              CompletionStage<HttpResponse> sent =
                  tls.isPresent()
                      ? http.singleRequest(out, tls.get(), pool, system.log())
                      : http.singleRequest(
                          out, http.defaultClientHttpsContext(), pool, system.log());
              return sent.thenCompose(
                  resp ->
                      resp.entity()
                          .toStrict(timeout.toMillis(), MAX_BODY_BYTES, materializer)
                          .thenApply(
                              strict ->
                                  HttpResponse.create()
                                      .withStatus(resp.status())
                                      .withEntity(strict)
                                      .addHeaders(forwarded(resp.getHeaders()))));
            })
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(t -> failure(endpoint, target, path, t));
  }

  private HttpResponse failure(Endpoint endpoint, String target, String path, Throwable t) {
    Throwable cause = UpstreamErrors.unwrap(t);
    log.info("egress {} to {} failed: {}", endpoint.name(), target, cause.toString());
    if (cause instanceof TimeoutException)
      return Problem.of(
              504, "egress-timeout", "Gateway timeout", "the endpoint did not answer in time")
          .toResponse(path);
    if (cause instanceof akka.http.scaladsl.model.EntityStreamSizeException)
      return Problem.of(413, "payload-too-large", "Payload too large", "the body exceeds 1 MiB")
          .toResponse(path);
    String detail =
        cause instanceof StreamTcpException
            ? "cannot connect to the endpoint"
            : "the endpoint's answer could not be read";
    return Problem.of(502, "egress-unreachable", "Bad gateway", detail).toResponse(path);
  }

  private static boolean isDotSegment(String rawSegment) {
    String s;
    try {
      s = java.net.URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return true; // not decodable: not forwarded either
    }
    return s.equals("..") || s.equals(".");
  }

  /** End-to-end headers only: hop-by-hop ones, also those a Connection header names, dropped. */
  private static List<HttpHeader> forwarded(Iterable<HttpHeader> headers) {
    Set<String> named = new HashSet<>();
    for (HttpHeader h : headers)
      if (h.is("connection"))
        for (String token : h.value().split(",")) named.add(token.trim().toLowerCase(Locale.ROOT));
    List<HttpHeader> out = new java.util.ArrayList<>();
    for (HttpHeader h : headers) {
      String lower = h.lowercaseName();
      if (!NOT_FORWARDED.contains(lower) && !named.contains(lower))
        out.add(RawHeader.create(h.name(), h.value()));
    }
    return out;
  }
}
