package dev.rampart.gateway;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed for the routes (Akka's HTTP parser rejects them) as problems. Akka
 * would say 501 for an unknown method and 505 for an unknown HTTP version; both are the client's
 * fault, so 400: bad input never gets a 5xx from the gateway. Configured as {@code
 * akka.http.server.parsing.error-handler}.
 */
public final class ParsingProblems extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = status.intValue() >= 500 ? 400 : status.intValue();
    String detail =
        info.summary().length() > 200 ? info.summary().substring(0, 200) : info.summary();
    String title = code == status.intValue() ? status.reason() : "Bad Request";
    return Problem.of(code, code == 400 ? "malformed-request" : "http-" + code, title, detail)
        .toResponse(null);
  }
}
