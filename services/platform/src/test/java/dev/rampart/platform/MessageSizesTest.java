package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import akka.util.ByteString;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessageSizesTest {

  private static ByteString frame(int payload) {
    ByteBuffer b = ByteBuffer.allocate(5 + payload);
    b.put((byte) 0).putInt(payload);
    return ByteString.fromArray(b.array());
  }

  @Test
  void messagesWithinTheBoundPassAcrossChunkBoundaries() {
    var sizes = new BoundedRequests.MessageSizes(100);
    ByteString stream = frame(100).concat(frame(0)).concat(frame(7)).concat(frame(100));
    // feed in awkward pieces: headers and payloads split anywhere
    for (int i = 0; i < stream.size(); i += 3) {
      assertThat(sizes.firstOversized(stream.slice(i, Math.min(stream.size(), i + 3))))
          .isEqualTo(-1);
    }
  }

  @Test
  void oversizedMessageIsFoundFromItsPrefixAlone() {
    var sizes = new BoundedRequests.MessageSizes(100);
    assertThat(sizes.firstOversized(frame(10))).isEqualTo(-1);
    ByteString big = frame(101);
    assertThat(sizes.firstOversized(big.slice(0, 2))).isEqualTo(-1);
    assertThat(sizes.firstOversized(big.slice(2, 5))).isEqualTo(101);
  }
}
