package dev.rampart.operator.dependent;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;

/**
 * A Strimzi KafkaTopic per declared topic (active only where the KafkaTopic CRD is installed). A
 * topic that leaves the spec is unmanaged first when its policy is Retain (see {@link
 * TopicRetention}), then deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class KafkaTopicDependent extends SystemChildren<KafkaTopic> {
  public KafkaTopicDependent() {
    super(KafkaTopic.class);
  }

  @Override
  protected List<KafkaTopic> desired(MicroserviceSystem system, ReferencedConfig config) {
    return system
        .getSpec()
        .kafkaSpec()
        .map(k -> k.topicList().stream().map(t -> KafkaTopics.of(system, k, t)).toList())
        .orElse(List.of());
  }

  @Override
  public void deleteTargetResource(
      MicroserviceSystem primary,
      KafkaTopic resource,
      ResourceID key,
      Context<MicroserviceSystem> context) {
    TopicRetention.unmanageIfRetained(context.getClient(), resource);
    super.deleteTargetResource(primary, resource, key, context);
  }
}
