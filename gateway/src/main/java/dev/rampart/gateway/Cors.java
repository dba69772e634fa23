package dev.rampart.gateway;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import java.util.List;
import java.util.Optional;

/**
 * CORS for browser clients: preflight answers and response headers for allowed origins. Disallowed
 * origins get no CORS headers (the browser then blocks the response); their preflights get 403.
 */
final class Cors {
  static final String ALLOWED_METHODS = "GET, POST, PUT, OPTIONS";
  static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, X-Request-Id, Last-Event-ID, traceparent, tracestate";
  static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, Location, traceparent";
  private final List<String> allowedOrigins;

  Cors(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  boolean allows(String origin) {
    return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
  }

  static Optional<String> origin(HttpRequest req) {
    return req.getHeader("Origin").map(h -> h.value());
  }

  static boolean isPreflight(HttpRequest req) {
    return req.method().name().equals("OPTIONS")
        && req.getHeader("Origin").isPresent()
        && req.getHeader("Access-Control-Request-Method").isPresent();
  }

  HttpResponse preflight(HttpRequest req, String path) {
    String origin = origin(req).orElse("");
    if (!allows(origin)) return Problem.forbidden("origin not allowed").toResponse(path);
    return HttpResponse.create()
        .withStatus(StatusCodes.NO_CONTENT)
        .addHeaders(
            List.of(
                RawHeader.create("Access-Control-Allow-Origin", origin),
                RawHeader.create("Access-Control-Allow-Methods", ALLOWED_METHODS),
                RawHeader.create("Access-Control-Allow-Headers", ALLOWED_HEADERS),
                RawHeader.create("Access-Control-Max-Age", "600"),
                RawHeader.create("Vary", "Origin")));
  }

  HttpResponse decorate(HttpResponse resp, Optional<String> origin) {
    if (origin.isEmpty() || !allows(origin.get())) return resp;
    return resp.addHeaders(
        List.of(
            RawHeader.create("Access-Control-Allow-Origin", origin.get()),
            RawHeader.create("Access-Control-Expose-Headers", EXPOSED_HEADERS),
            RawHeader.create("Vary", "Origin")));
  }
}
