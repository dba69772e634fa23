package dev.rampart.operator.status;

import dev.rampart.operator.desired.ConfigReferences.Ref;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator saw of a system's children: Deployments and their pods by component name,
 * KafkaTopics by topic name (empty when Strimzi's KafkaTopic CRD is not installed), the route in
 * place (HTTPRoute or Ingress), what each answering pod said about its Akka cluster, by service,
 * config references that do not exist, and the children it failed to apply (with why).
 */
public record ObservedSystem(
    Map<String, Deployment> deployments,
    Map<String, List<Pod>> pods,
    Optional<Map<String, KafkaTopic>> topics,
    Optional<HasMetadata> route,
    Map<String, List<PodClusterView>> clusterViews,
    List<Ref> missingConfig,
    List<String> failures) {}
