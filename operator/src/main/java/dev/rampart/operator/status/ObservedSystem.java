package dev.rampart.operator.status;

import dev.rampart.operator.api.v1alpha1.ClusterMembership;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator saw of a system's children in one reconcile: Deployments by component name,
 * KafkaTopics by topic name, the kind of route in place, Akka membership per service (absent:
 * unknown), config references that do not exist, and the children it failed to apply (with why).
 */
public record ObservedSystem(
    Map<String, Deployment> deployments,
    Map<String, KafkaTopic> topics,
    Optional<String> routeKind,
    Map<String, ClusterMembership> membership,
    List<Ref> missingConfig,
    List<String> failures) {}
