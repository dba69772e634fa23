package dev.rampart.platform;

import akka.grpc.javadsl.Metadata;
import akka.grpc.javadsl.SingleResponseRequestBuilder;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import dev.rampart.contract.TraceContext;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The W3C trace a gRPC call carries ({@code traceparent} metadata, set by the gateway or a peer
 * service), put in the SLF4J MDC as {@value TraceContext#MDC_TRACE_ID} and passed on to the calls
 * and Kafka records made for it. Akka answers requests on whatever thread a future completes on, so
 * the MDC is set around each piece of work that logs ({@link #inMdc}), not once per thread.
 */
public final class GrpcTrace {
  /** One DEBUG line per served call, on its own logger, with the trace id in the MDC. */
  static final String CALL_LOGGER = "dev.rampart.platform.grpc.calls";

  private static final Logger callLog = LoggerFactory.getLogger(CALL_LOGGER);

  private GrpcTrace() {}

  /** The call's trace, if it carried a valid one. */
  public static Optional<TraceContext> of(Metadata metadata) {
    return metadata.getText(TraceContext.TRACEPARENT).flatMap(TraceContext::parse);
  }

  static Optional<TraceContext> of(HttpRequest request) {
    return request
        .getHeader(TraceContext.TRACEPARENT)
        .map(HttpHeader::value)
        .flatMap(TraceContext::parse);
  }

  /** Runs {@code work} with the trace id in the MDC (if there is a trace), restoring it after. */
  public static <T> T inMdc(Optional<TraceContext> trace, Supplier<T> work) {
    if (trace.isEmpty()) return work.get();
    String before = MDC.get(TraceContext.MDC_TRACE_ID);
    MDC.put(TraceContext.MDC_TRACE_ID, trace.get().traceId());
    try {
      return work.get();
    } finally {
      if (before == null) MDC.remove(TraceContext.MDC_TRACE_ID);
      else MDC.put(TraceContext.MDC_TRACE_ID, before);
    }
  }

  public static void inMdc(Optional<TraceContext> trace, Runnable work) {
    inMdc(
        trace,
        () -> {
          work.run();
          return null;
        });
  }

  /** An outgoing call of the same trace: a child span as {@code traceparent} metadata. */
  public static <I, O> SingleResponseRequestBuilder<I, O> propagate(
      Optional<TraceContext> trace, SingleResponseRequestBuilder<I, O> call) {
    return trace.isEmpty()
        ? call
        : call.addHeader(TraceContext.TRACEPARENT, trace.get().child().format());
  }

  /**
   * The handler with the caller's trace id in the MDC while it runs (the synchronous part) and one
   * DEBUG line when the answer's head is ready.
   */
  static Function<HttpRequest, CompletionStage<HttpResponse>> traced(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return request -> {
      Optional<TraceContext> trace = of(request);
      long start = System.nanoTime();
      CompletionStage<HttpResponse> response = inMdc(trace, () -> apply(handler, request));
      if (!callLog.isDebugEnabled()) return response;
      return response.whenComplete(
          (r, failure) ->
              inMdc(
                  trace,
                  () ->
                      callLog.debug(
                          "served {} grpc-status {} in {} ms",
                          request.getUri().path(),
                          r == null
                              ? "failed"
                              : r.getHeader("grpc-status").map(HttpHeader::value).orElse("-"),
                          (System.nanoTime() - start) / 1_000_000)));
    };
  }

  private static CompletionStage<HttpResponse> apply(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler, HttpRequest request) {
    try {
      return handler.apply(request);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
