package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.TopicDeletionPolicy;
import dev.rampart.operator.api.v1alpha1.TopicSpec;
import dev.rampart.operator.testing.Samples;
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
}
