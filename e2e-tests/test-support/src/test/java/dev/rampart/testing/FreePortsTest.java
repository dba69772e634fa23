package dev.rampart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  /**
   * The kernel hands out a just-closed ephemeral port again often enough that a Kafka broker once
   * got the same port for its two listeners: one JVM's ports are never handed out twice.
   */
  @Test
  void aThousandPortsAreAllDifferent() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ports.add(FreePorts.on("127.0.0.1"));
    }
    assertThat(ports).doesNotHaveDuplicates();
  }
}
