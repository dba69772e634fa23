package dev.rampart.gateway;

import akka.grpc.javadsl.SingleResponseRequestBuilder;
import akka.grpc.javadsl.StreamResponseRequestBuilder;
import dev.rampart.contract.TraceContext;

/**
 * What every upstream call of one request carries as gRPC metadata: the request id, and the trace
 * with a new child span per call (plus the client's {@code tracestate}).
 */
record UpstreamTags(String requestId, EdgeHandler.Trace trace) {
  <I, O> SingleResponseRequestBuilder<I, O> on(SingleResponseRequestBuilder<I, O> call) {
    var tagged =
        call.addHeader(EdgeHandler.REQUEST_ID_HEADER, requestId)
            .addHeader(TraceContext.TRACEPARENT, trace.context().child().format());
    return trace.tracestate().isPresent()
        ? tagged.addHeader(TraceContext.TRACESTATE, trace.tracestate().get())
        : tagged;
  }

  <I, O> StreamResponseRequestBuilder<I, O> on(StreamResponseRequestBuilder<I, O> call) {
    var tagged =
        call.addHeader(EdgeHandler.REQUEST_ID_HEADER, requestId)
            .addHeader(TraceContext.TRACEPARENT, trace.context().child().format());
    return trace.tracestate().isPresent()
        ? tagged.addHeader(TraceContext.TRACESTATE, trace.tracestate().get())
        : tagged;
  }
}
