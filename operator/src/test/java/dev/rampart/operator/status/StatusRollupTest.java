package dev.rampart.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.api.v1alpha1.ClusterMembership;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemStatus;
import dev.rampart.operator.desired.ConfigReferences.Ref;
import dev.rampart.operator.desired.GatewayDeployment;
import dev.rampart.operator.desired.KafkaTopics;
import dev.rampart.operator.desired.ServiceDeployment;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRollupTest {
  static final String T0 = "2026-11-26T10:00:00Z";
  static final String T1 = "2026-11-26T11:00:00Z";
  private final MicroserviceSystem shop = shop();

  static MicroserviceSystem shop() {
    var shop = Samples.shop("ns");
    shop.getMetadata().setGeneration(7L);
    return shop;
  }

  @Test
  void everythingReady() {
    var status =
        StatusRollup.of(
            shop, observed(readyDeployments(), readyTopics(), Map.of(), List.of(), List.of()), T0);
    assertThat(status.observedGeneration).isEqualTo(7L);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("all 3 services, 2 topics and the gateway are ready");
    assertThat(condition(status, "Ready").getObservedGeneration()).isEqualTo(7L);
    assertThat(status.servicesReady).isEqualTo("3/3");
    assertThat(status.topicsReady).isEqualTo("2/2");
    assertThat(status.gateway.ready).isTrue();
    assertThat(status.gateway.url).isEqualTo("https://shop.example.com");
  }

  @Test
  void unreachableAkkaMembersMakeAServiceNotReady() {
    var status =
        StatusRollup.of(
            shop,
            observed(
                readyDeployments(),
                readyTopics(),
                Map.of("order", new ClusterMembership(1, 1), "user", new ClusterMembership(2, 0)),
                List.of(),
                List.of()),
            T0);
    assertThat(status.services.get(0).clusterMembers).isEqualTo(new ClusterMembership(1, 1));
    assertThat(status.services.get(1).ready).isTrue();
    assertThat(status.services.get(2).clusterMembers).isNull();
    assertThat(condition(status, "ServicesReady").getMessage())
        .contains("order: 1 Akka cluster member(s) unreachable");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ServicesNotReady");
  }

  @Test
  void rolloutInProgressIsNotReady() {
    var deployments = readyDeployments();
    deployments.get("user").getStatus().setUpdatedReplicas(1);
    var status =
        StatusRollup.of(
            shop, observed(deployments, readyTopics(), Map.of(), List.of(), List.of()), T0);
    assertThat(condition(status, "ServicesReady").getMessage())
        .isEqualTo("user: rolling out, 1/2 pods updated");
  }

  @Test
  void missingSecretIsTheFirstThingSaid() {
    var status =
        StatusRollup.of(
            shop,
            observed(
                Map.of(),
                readyTopics(),
                Map.of(),
                List.of(new Ref(Ref.SECRET, "shop-db", "spec.persistence.jdbc.credentialsSecret")),
                List.of()),
            T0);
    assertThat(condition(status, "ServicesReady").getReason()).isEqualTo("MissingConfiguration");
    assertThat(condition(status, "ServicesReady").getMessage())
        .startsWith(
            "Secret shop-db (referenced by spec.persistence.jdbc.credentialsSecret) does not exist"
                + " in namespace ns; create it");
  }

  @Test
  void missingJwksSecretIsTheGatewaysProblemNotTheServices() {
    var status =
        StatusRollup.of(
            shop,
            observed(
                readyDeployments(),
                readyTopics(),
                Map.of(),
                List.of(new Ref(Ref.SECRET, "shop-jwks", "spec.gateway.auth.jwksSecretRef")),
                List.of()),
            T0);
    assertThat(condition(status, "ServicesReady").getStatus()).isEqualTo("True");
    assertThat(condition(status, "GatewayReady").getStatus()).isEqualTo("False");
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("MissingConfiguration");
    assertThat(condition(status, "GatewayReady").getMessage())
        .isEqualTo(
            "Secret shop-jwks (referenced by spec.gateway.auth.jwksSecretRef) does not exist in"
                + " namespace ns; create it");
    assertThat(status.gateway.ready).isFalse();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("MissingConfiguration");
  }

  @Test
  void failuresToApplyWinTheReadyCondition() {
    var status =
        StatusRollup.of(
            shop,
            observed(
                readyDeployments(),
                readyTopics(),
                Map.of(),
                List.of(),
                List.of("Deployment: forbidden")),
            T0);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ReconcileFailed");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("could not apply: Deployment: forbidden");
  }

  @Test
  void lastTransitionTimeMovesOnlyOnTransitions() {
    var first =
        StatusRollup.of(
            shop, observed(readyDeployments(), readyTopics(), Map.of(), List.of(), List.of()), T0);
    shop.setStatus(first);
    var same =
        StatusRollup.of(
            shop, observed(readyDeployments(), readyTopics(), Map.of(), List.of(), List.of()), T1);
    assertThat(same).isEqualTo(first);
    var notReady =
        StatusRollup.of(
            shop, observed(Map.of(), readyTopics(), Map.of(), List.of(), List.of()), T1);
    assertThat(condition(notReady, "Ready").getLastTransitionTime()).isEqualTo(T1);
    assertThat(condition(notReady, "TopicsReady").getLastTransitionTime()).isEqualTo(T0);
  }

  @Test
  void noGatewayNoTopicsAreFine() {
    shop.getSpec().gateway = null;
    shop.getSpec().kafka = null;
    shop.getSpec()
        .services()
        .forEach(
            s -> {
              s.produces = null;
              s.consumes = null;
            });
    var status =
        StatusRollup.of(
            shop, observed(readyDeployments(), Map.of(), Map.of(), List.of(), List.of()), T0);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "TopicsReady").getReason()).isEqualTo("NoTopics");
    assertThat(condition(status, "GatewayReady").getReason()).isEqualTo("NoGateway");
    assertThat(status.gateway).isNull();
  }

  @Test
  void pausedKeepsTheRestOfTheStatus() {
    var first =
        StatusRollup.of(
            shop, observed(readyDeployments(), readyTopics(), Map.of(), List.of(), List.of()), T0);
    shop.setStatus(first);
    var paused = StatusRollup.paused(shop, T1);
    assertThat(condition(paused, "Paused").getReason()).isEqualTo("PausedByAnnotation");
    assertThat(condition(paused, "Ready")).isEqualTo(condition(first, "Ready"));
  }

  private ObservedSystem observed(
      Map<String, Deployment> deployments,
      Map<String, KafkaTopic> topics,
      Map<String, ClusterMembership> members,
      List<Ref> missing,
      List<String> failures) {
    return new ObservedSystem(
        deployments, topics, Optional.of("HTTPRoute"), members, missing, failures);
  }

  private Map<String, Deployment> readyDeployments() {
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    shop.getSpec()
        .services()
        .forEach(s -> deployments.put(s.name, ready(ServiceDeployment.of(shop, s, "h"))));
    shop.getSpec()
        .gatewaySpec()
        .ifPresent(g -> deployments.put("gateway", ready(GatewayDeployment.of(shop, g, "h"))));
    return deployments;
  }

  private static Deployment ready(Deployment d) {
    d.getMetadata().setGeneration(1L);
    int n = d.getSpec().getReplicas();
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(1L)
            .withReplicas(n)
            .withReadyReplicas(n)
            .withUpdatedReplicas(n)
            .build());
    return d;
  }

  private Map<String, KafkaTopic> readyTopics() {
    Map<String, KafkaTopic> topics = new LinkedHashMap<>();
    shop.getSpec()
        .kafka
        .topicList()
        .forEach(
            t -> {
              var topic = KafkaTopics.of(shop, shop.getSpec().kafka, t);
              topic.setStatus(
                  new KafkaTopicStatusBuilder()
                      .withConditions(
                          new ConditionBuilder().withType("Ready").withStatus("True").build())
                      .build());
              topics.put(t.name, topic);
            });
    return topics;
  }

  private static Condition condition(MicroserviceSystemStatus status, String type) {
    return status.condition(type).orElseThrow();
  }
}
