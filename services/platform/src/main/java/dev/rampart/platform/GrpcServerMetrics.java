package dev.rampart.platform;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import akka.stream.javadsl.Source;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The gRPC calls a node serves, timed until the answer is complete, by method and gRPC status:
 * {@code grpc_server_calls_seconds}, with the registry's histograms. Methods of unknown services
 * are one {@code unknown}, so a scanner cannot grow the series.
 */
final class GrpcServerMetrics {
  static final String TIMER = "grpc_server_calls";
  private static final String UNKNOWN = "unknown";
  private static final String CANCELLED = "cancelled";

  private final MeterRegistry registry;
  private final Set<String> services;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  GrpcServerMetrics(MeterRegistry registry, Set<String> services) {
    this.registry = registry;
    this.services = services;
  }

  Function<HttpRequest, CompletionStage<HttpResponse>> timed(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return request -> {
      long start = System.nanoTime();
      String method = methodOf(request.getUri().path());
      return handler
          .apply(request)
          .handle(
              (response, failure) -> {
                if (failure != null) {
                  record(method, UNKNOWN, start);
                  throw failure instanceof CompletionException c
                      ? c
                      : new CompletionException(failure);
                }
                return observed(response, method, start);
              });
    };
  }

  /**
   * Recorded now when the status is known: in the head (a failure answered at once) or in the
   * trailer Akka gRPC attaches to a strict unary answer. Otherwise when the streamed body ends,
   * with the status its last chunk carries ({@code cancelled} if it had none).
   */
  private HttpResponse observed(HttpResponse response, String method, long start) {
    var known =
        response.getHeader("grpc-status").map(HttpHeader::value).or(() -> trailerStatus(response));
    if (known.isPresent() || !(response.entity() instanceof HttpEntity.Chunked chunked)) {
      record(method, known.orElse(UNKNOWN), start);
      return response;
    }
    // the Scala model is what the server streams; the Java API cannot rebuild a chunked entity
    var scalaChunked = (akka.http.scaladsl.model.HttpEntity.Chunked) chunked;
    AtomicReference<String> status = new AtomicReference<>(CANCELLED);
    Source<akka.http.scaladsl.model.HttpEntity.ChunkStreamPart, Object> chunks =
        scalaChunked
            .chunks()
            .asJava()
            .map(
                part -> {
                  if (part.isLastChunk()) {
                    for (HttpHeader h : part.getTrailerHeaders()) {
                      if (h.is("grpc-status")) {
                        status.set(h.value());
                      }
                    }
                  }
                  return part;
                })
            .watchTermination(
                (mat, done) -> {
                  done.whenComplete((d, f) -> record(method, status.get(), start));
                  return mat;
                });
    return response.withEntity(
        akka.http.scaladsl.model.HttpEntity.Chunked$.MODULE$.apply(
            scalaChunked.contentType(), chunks.asScala()));
  }

  /** {@code /package.Service/Method} of a known service, else {@code unknown}. */
  String methodOf(String path) {
    int slash = path.indexOf('/', 1);
    if (!path.startsWith("/") || slash < 0 || !services.contains(path.substring(1, slash))) {
      return UNKNOWN;
    }
    return path.substring(1);
  }

  private static Optional<String> trailerStatus(HttpResponse response) {
    return response
        .getAttribute(AttributeKeys.trailer)
        .filter(akka.http.scaladsl.model.Trailer.class::isInstance)
        .flatMap(
            t ->
                CollectionConverters.asJava(((akka.http.scaladsl.model.Trailer) t).headers())
                    .stream()
                    .filter(h -> h._1().equalsIgnoreCase("grpc-status"))
                    .map(h -> h._2())
                    .findFirst());
  }

  private void record(String method, String status, long start) {
    timers
        .computeIfAbsent(
            method + ' ' + status,
            k ->
                Timer.builder(TIMER)
                    .description("gRPC calls served, to the response head")
                    .tag("method", method)
                    .tag("grpc_status", status)
                    .register(registry))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
