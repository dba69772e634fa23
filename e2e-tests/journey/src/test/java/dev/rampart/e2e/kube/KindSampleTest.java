package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample as the kind e2e applies it, on a one-broker Kafka and with this run's images. */
class KindSampleTest {
  @Test
  @SuppressWarnings("unchecked")
  void everyTopicHasOneReplicaAndNeedsOneInSyncReplicaAndEveryImageIsThisRuns() {
    var system =
        KindShop.kindSample(
            new KindShop.Settings(
                Path.of("unused"),
                "rampart-kafka-kafka-bootstrap.kafka:9092",
                "rampart-kafka",
                "jdbc:postgresql://postgres.database:5432/shop",
                "rampart",
                "rampart",
                "kind-20261202"));
    Map<String, Object> spec = (Map<String, Object>) system.getAdditionalProperties().get("spec");
    List<Map<String, Object>> topics =
        (List<Map<String, Object>>) ((Map<String, Object>) spec.get("kafka")).get("topics");
    assertThat(topics)
        .isNotEmpty()
        .allSatisfy(
            topic -> {
              assertThat(topic.get("replicas")).isEqualTo(1);
              var config = (Map<String, Object>) topic.get("config");
              if (config != null && config.containsKey("min.insync.replicas")) {
                // with acks=all, 2 on one broker would fail every send with NOT_ENOUGH_REPLICAS
                assertThat(config.get("min.insync.replicas")).isEqualTo("1");
              }
            });
    assertThat(topics)
        .anySatisfy(
            t ->
                assertThat((Map<String, Object>) t.get("config"))
                    .containsKey("min.insync.replicas"));
    Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
    assertThat(gateway).doesNotContainKey("tls").containsKey("hostnames");
    assertThat((String) gateway.get("image")).endsWith(":kind-20261202");
    assertThat((List<Map<String, Object>>) spec.get("services"))
        .allSatisfy(s -> assertThat((String) s.get("image")).endsWith(":kind-20261202"));
    assertThat(system.getMetadata().getNamespace()).isEqualTo(ShopCluster.NAMESPACE);
  }
}
