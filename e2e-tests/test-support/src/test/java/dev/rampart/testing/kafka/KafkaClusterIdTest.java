package dev.rampart.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One in 64 random base64url ids starts with '-'; the storage tool would read such an id as an
 * option.
 */
class KafkaClusterIdTest {

  @Test
  void clusterIdsAreSixteenBytesAndNeverStartWithADash() {
    IntStream.range(0, 5_000)
        .mapToObj(i -> KafkaBroker.newClusterId())
        .forEach(
            id -> {
              assertThat(id).doesNotStartWith("-").hasSize(22);
              assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
            });
  }
}
