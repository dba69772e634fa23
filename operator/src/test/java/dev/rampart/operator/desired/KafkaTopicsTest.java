package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.TopicDeletionPolicy;
import dev.rampart.operator.api.v1alpha1.TopicSpec;
import dev.rampart.operator.testing.Samples;
import dev.rampart.testing.RepoPaths;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {
  @Test
  void namedAfterSystemAndTopicWithDefaults() {
    var shop = Samples.shop("ns");
    var topic = KafkaTopics.of(shop, shop.getSpec().kafka, new TopicSpec("audit.log"));
    assertThat(topic.getMetadata().getName()).isEqualTo("shop-audit.log");
    assertThat(topic.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(topic.getMetadata().getLabels())
        .containsEntry(KafkaTopics.STRIMZI_CLUSTER_LABEL, "my-cluster");
    assertThat(topic.getSpec().getTopicName()).isEqualTo("audit.log");
    assertThat(topic.getSpec().getPartitions()).isEqualTo(3);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
    assertThat(topic.getSpec().getConfig()).isNull();
  }

  @Test
  void theDeletionPolicyTravelsOnTheKafkaTopicAndAnythingButDeleteIsRetained() {
    var shop = Samples.shop("ns");
    var retained = KafkaTopics.of(shop, shop.getSpec().kafka, new TopicSpec("a"));
    var spec = new TopicSpec("b");
    spec.deletionPolicy = TopicDeletionPolicy.Delete;
    var deleted = KafkaTopics.of(shop, shop.getSpec().kafka, spec);
    assertThat(retained.getMetadata().getAnnotations())
        .containsEntry(KafkaTopics.DELETION_POLICY_ANNOTATION, "Retain");
    assertThat(KafkaTopics.retained(retained)).isTrue();
    assertThat(KafkaTopics.retained(deleted)).isFalse();
    // made before the policy existed: retained
    deleted.getMetadata().setAnnotations(null);
    assertThat(KafkaTopics.retained(deleted)).isTrue();
  }

  /**
   * The public feed's "past, present and future": a consumer group started after N orders reads all
   * N from the beginning, so the topic keeps every record (no time or size limit, deleted never
   * compacted: compaction would keep only each order's last event). In every sample, as the
   * KafkaTopic the operator makes from it carries it to Strimzi.
   */
  @Test
  void thePublicFeedTopicKeepsEveryRecordInEverySample() throws IOException {
    List<MicroserviceSystem> samples =
        List.of(
            Samples.shop("ns"),
            chartSample("charts/rampart-operator/samples/shop.yaml"),
            chartSample("charts/rampart-operator/samples/shop-local.yaml"));
    for (MicroserviceSystem system : samples) {
      TopicSpec feed =
          system.getSpec().kafka.topics.stream()
              .filter(t -> t.name.equals("order-events-public"))
              .findFirst()
              .orElseThrow();
      var topic = KafkaTopics.of(system, system.getSpec().kafka, feed);
      assertThat(topic.getSpec().getTopicName()).isEqualTo("order-events-public");
      assertThat(topic.getSpec().getConfig())
          .as("config of %s", topic.getMetadata().getName())
          .containsEntry("retention.ms", "-1")
          .containsEntry("retention.bytes", "-1")
          .containsEntry("cleanup.policy", "delete");
      // deleting the system must not take the third parties' history with it
      assertThat(KafkaTopics.retained(topic)).isTrue();
    }
  }

  private static MicroserviceSystem chartSample(String path) throws IOException {
    try (InputStream in = Files.newInputStream(RepoPaths.root().resolve(path))) {
      return new KubernetesSerialization().unmarshal(in, MicroserviceSystem.class);
    }
  }
}
