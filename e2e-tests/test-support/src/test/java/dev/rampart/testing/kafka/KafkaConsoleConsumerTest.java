package dev.rampart.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The console consumer's escaped values come back byte for byte. */
class KafkaConsoleConsumerTest {
  @Test
  void unescapeInvertsWhatKafkasBytesDeserializerPrints() {
    Random random = new Random(13);
    for (int n = 0; n < 200; n++) {
      byte[] value = new byte[random.nextInt(64)];
      random.nextBytes(value);
      String printed = new Bytes(value).toString();
      assertThat(printed).doesNotContain("\n", "\t");
      assertThat(KafkaConsoleConsumer.unescape(printed)).isEqualTo(value);
    }
    byte[] every = new byte[256];
    for (int b = 0; b < 256; b++) {
      every[b] = (byte) b;
    }
    assertThat(KafkaConsoleConsumer.unescape(new Bytes(every).toString())).isEqualTo(every);
  }
}
