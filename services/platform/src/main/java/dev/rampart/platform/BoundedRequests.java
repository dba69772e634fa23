package dev.rampart.platform;

import akka.NotUsed;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import akka.util.ByteString;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds each gRPC message of a request (like grpc-java's max inbound message size; unary and
 * streaming calls alike). Past the bound the handler sees {@link EntityStreamSizeException}
 * (RESOURCE_EXHAUSTED with {@link GrpcErrors#mapper()}) and the rest of the body is read and
 * dropped, never buffered: cancelling it would reset the HTTP/2 stream, and the client would see
 * CANCELLED instead of the status.
 */
final class BoundedRequests {

  static HttpRequest bound(HttpRequest request, long maxMessageBytes, Materializer materializer) {
    Pair<SourceQueueWithComplete<ByteString>, Source<ByteString, NotUsed>> queue =
        Source.<ByteString>queue(4, OverflowStrategy.backpressure()).preMaterialize(materializer);
    SourceQueueWithComplete<ByteString> toHandler = queue.first();
    MessageSizes sizes = new MessageSizes(maxMessageBytes);
    AtomicBoolean refused = new AtomicBoolean();
    request
        .entity()
        .getDataBytes()
        .runWith(
            Sink.foreachAsync(
                1,
                chunk -> {
                  if (refused.get()) {
                    return CompletableFuture.completedFuture(null); // drain
                  }
                  long oversized = sizes.firstOversized(chunk);
                  if (oversized >= 0) {
                    refused.set(true);
                    toHandler.fail(
                        new EntityStreamSizeException(
                            maxMessageBytes, scala.Option.apply(oversized)));
                    return CompletableFuture.completedFuture(null);
                  }
                  return toHandler
                      .offer(chunk)
                      .handle((result, error) -> null); // handler gone: keep draining
                }),
            materializer)
        .whenComplete(
            (done, error) -> {
              if (!refused.get()) {
                if (error == null) toHandler.complete();
                else toHandler.fail(error);
              }
            });
    return request.withEntity(
        HttpEntities.create(request.entity().getContentType(), queue.second()));
  }

  /**
   * Follows the gRPC length-prefixed framing (1 flag byte, 4 length bytes, payload) across chunks.
   */
  static final class MessageSizes {
    private final long max;
    private int headerBytes; // of the current 5-byte prefix
    private long length;
    private long payloadLeft;

    MessageSizes(long max) {
      this.max = max;
    }

    /**
     * The declared length of the first message over the bound that starts in this chunk, else -1.
     */
    long firstOversized(ByteString chunk) {
      int i = 0;
      int n = chunk.size();
      while (i < n) {
        if (payloadLeft > 0) {
          long take = Math.min(payloadLeft, n - i);
          payloadLeft -= take;
          i += (int) take;
          continue;
        }
        int b = chunk.apply(i++) & 0xff;
        if (headerBytes == 0) {
          length = 0; // compression flag
        } else {
          length = (length << 8) | b;
        }
        if (++headerBytes == 5) {
          headerBytes = 0;
          if (length > max) {
            return length;
          }
          payloadLeft = length;
        }
      }
      return -1;
    }
  }

  private BoundedRequests() {}
}
