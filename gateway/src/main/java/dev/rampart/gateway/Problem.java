package dev.rampart.gateway;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem: every error the gateway answers with is one of these, as
 * application/problem+json. {@code type} is a stable URI per kind of problem so clients can branch
 * on it.
 */
public record Problem(
    int status,
    String type,
    String title,
    String detail,
    List<FieldError> errors,
    List<HttpHeader> headers) {

  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      ContentTypes.create(
          MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));
  public static final String TYPE_BASE = "https://rampart.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One invalid input: where (JSON pointer or parameter name) and why. */
  public record FieldError(String pointer, String detail) {}

  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(status, TYPE_BASE + kind, title, detail, List.of(), List.of());
  }

  public static Problem badRequest(String detail) {
    return of(400, "invalid-request", "Invalid request", detail);
  }

  public static Problem validation(List<FieldError> errors) {
    return new Problem(
        400,
        TYPE_BASE + "validation",
        "Request validation failed",
        errors.size() + " invalid field(s)",
        List.copyOf(errors),
        List.of());
  }

  public static Problem unauthorized(String detail) {
    return of(401, "unauthorized", "Authentication required", detail)
        .withHeader(RawHeader.create("WWW-Authenticate", "Bearer error=\"invalid_token\""));
  }

  public static Problem forbidden(String detail) {
    return of(403, "forbidden", "Forbidden", detail);
  }

  public static Problem notFound(String detail) {
    return of(404, "not-found", "Not found", detail);
  }

  public Problem withHeader(HttpHeader h) {
    List<HttpHeader> hs = new ArrayList<>(headers);
    hs.add(h);
    return new Problem(status, type, title, detail, errors, List.copyOf(hs));
  }

  public ProblemException asException() {
    return new ProblemException(this);
  }

  public HttpResponse toResponse(String instance) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", type);
    body.put("title", title);
    body.put("status", status);
    if (detail != null) body.put("detail", detail);
    if (instance != null) body.put("instance", instance);
    if (!errors.isEmpty()) {
      ArrayNode arr = body.putArray("errors");
      for (FieldError e : errors)
        arr.addObject().put("pointer", e.pointer()).put("detail", e.detail());
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(PROBLEM_JSON, body.toString())
        .addHeaders(headers);
  }

  /** Thrown inside request handling to answer with this problem; never escapes the gateway. */
  public static final class ProblemException extends RuntimeException {
    private final Problem problem;

    ProblemException(Problem problem) {
      super(problem.title() + ": " + problem.detail(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }
}
