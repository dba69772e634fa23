package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Shutdown;
import dev.rampart.operator.api.v1alpha1.AutoscalingSpec;
import dev.rampart.operator.api.v1alpha1.KafkaAuthentication;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.PodTemplateOverrides;
import dev.rampart.operator.api.v1alpha1.SecretKeys;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceDeploymentTest {
  private final MicroserviceSystem shop = Samples.shop("ns");

  @Test
  void theOrderServiceOfTheSampleGetsExactlyThisDeployment() {
    var deployment = ServiceDeployment.of(shop, shop.getSpec().service("order").orElseThrow(), "h");
    assertThat(deployment.getMetadata().getName()).isEqualTo("shop-order");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("rampart.dev/system", "shop", "rampart.dev/service", "order"));
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name", "order",
                "app.kubernetes.io/instance", "shop-order",
                "app.kubernetes.io/part-of", "shop",
                "app.kubernetes.io/managed-by", "rampart-operator",
                "app.kubernetes.io/component", "service",
                "rampart.dev/system", "shop",
                "rampart.dev/service", "order",
                "rampart.dev/discovery", "shop-order"));
    assertThat(template.getMetadata().getAnnotations())
        .isEqualTo(Map.of("rampart.dev/config-hash", "h"));
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("shop-order");
    var container = template.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/rampart/order-service:0.1.0");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("management:8558", "remoting:25520", "grpc:8101");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
    // liveness waits for the start-up: up to 5 min on the liveness path
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/alive");
    assertThat(container.getStartupProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("management");
    assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(60);
    assertThat(container.getResources().getRequests().get("memory").toString()).isEqualTo("512Mi");
    assertThat(container.getEnv())
        .extracting(ServiceDeploymentTest::describe)
        .containsExactly(
            "RAMPART_SYSTEM=shop",
            "RAMPART_SERVICE=order",
            "POD_NAME<-field:metadata.name",
            "POD_NAMESPACE<-field:metadata.namespace",
            "POD_IP<-field:status.podIP",
            "RAMPART_LOG_FORMAT=json",
            "RAMPART_MANAGEMENT_PORT=8558",
            "RAMPART_REMOTING_PORT=25520",
            "RAMPART_GRPC_PORT=8101",
            "RAMPART_DISCOVERY_METHOD=kubernetes-api",
            "RAMPART_BOOTSTRAP_SERVICE_NAME=shop-order",
            "RAMPART_POD_LABEL_SELECTOR=rampart.dev/discovery=%s",
            "RAMPART_PEERS=user=shop-user,shipping=shop-shipping",
            "RAMPART_KAFKA_BOOTSTRAP_SERVERS=my-cluster-kafka-bootstrap.kafka:9092",
            "RAMPART_KAFKA_PRODUCES=order-events,order-events-public",
            "RAMPART_JDBC_URL=jdbc:postgresql://shop-db.shop:5432/shop",
            "RAMPART_JDBC_USER<-secret:shop-db/username",
            "RAMPART_JDBC_PASSWORD<-secret:shop-db/password",
            "RAMPART_APP_VERSION=1");
  }

  @Test
  void configHashChangesOnlyThePodTemplateAnnotation() {
    var service = shop.getSpec().service("order").orElseThrow();
    var a = ServiceDeployment.of(shop, service, "aaaa");
    var b = ServiceDeployment.of(shop, service, "bbbb");
    assertThat(a.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Labels.CONFIG_HASH_ANNOTATION, "aaaa");
    b.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .put(Labels.CONFIG_HASH_ANNOTATION, "aaaa");
    assertThat(b.getSpec()).isEqualTo(a.getSpec());
  }

  @Test
  void replicasDefaultToThree() {
    var service = shop.getSpec().service("user").orElseThrow();
    service.replicas = null;
    var deployment = ServiceDeployment.of(shop, service, "h");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void replicasChangeOnlySpecReplicasNeverThePodTemplate() {
    var service = shop.getSpec().service("user").orElseThrow();
    service.replicas = 2;
    var two = ServiceDeployment.of(shop, service, "h");
    service.replicas = 4;
    var four = ServiceDeployment.of(shop, service, "h");
    assertThat(Serialization.asJson(four.getSpec().getTemplate()))
        .isEqualTo(Serialization.asJson(two.getSpec().getTemplate()));
    assertThat(four.getSpec().getReplicas()).isEqualTo(4);
    assertThat(env(four)).doesNotContainKey(Env.REQUIRED_CONTACT_POINTS);
  }

  @Test
  void appVersionRisesWithEveryTemplateChangeAndOnlyThen() {
    var service = shop.getSpec().service("user").orElseThrow();
    var first = ServiceDeployment.of(shop, service, "h");
    assertThat(env(first)).containsEntry(Env.APP_VERSION, "1");
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry(AppVersion.VERSION_ANNOTATION, "1");

    // resync of the same spec: the same Deployment, nothing to apply
    var again = ServiceDeployment.of(shop, service, "h", AppVersion.of(first));
    assertThat(again).isEqualTo(first);

    // a scale: the template and its version stay
    service.replicas = 7;
    var scaled = ServiceDeployment.of(shop, service, "h", AppVersion.of(again));
    assertThat(env(scaled)).containsEntry(Env.APP_VERSION, "1");

    // a rollout (config change, env change): one higher each time
    var rolled = ServiceDeployment.of(shop, service, "h2", AppVersion.of(scaled));
    assertThat(env(rolled)).containsEntry(Env.APP_VERSION, "2");
    service.env = List.of(new EnvVarBuilder().withName("FEATURE").withValue("on").build());
    var rolledAgain = ServiceDeployment.of(shop, service, "h2", AppVersion.of(rolled));
    assertThat(env(rolledAgain)).containsEntry(Env.APP_VERSION, "3");
    assertThat(ServiceDeployment.of(shop, service, "h2", AppVersion.of(rolledAgain)))
        .isEqualTo(rolledAgain);
  }

  @Test
  void rollsOneSurgePodAtATimeWithAGraceCoveringCoordinatedShutdown() {
    var deployment = ServiceDeployment.of(shop, shop.getSpec().service("order").orElseThrow(), "h");
    var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxSurge().getIntVal()).isEqualTo(1);
    assertThat(rolling.getMaxUnavailable().getIntVal()).isEqualTo(0);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo((long) Shutdown.TERMINATION_GRACE_SECONDS);
  }

  @Test
  void autoscaledServiceLeavesReplicasUnset() {
    var service = shop.getSpec().service("user").orElseThrow();
    service.replicas = null;
    service.autoscaling = new AutoscalingSpec(2, 5, null);
    assertThat(ServiceDeployment.of(shop, service, "h").getSpec().getReplicas()).isNull();
  }

  @Test
  void kafkaCredentialsComeFromTheSecretNeverAsLiterals() {
    var auth = new KafkaAuthentication();
    auth.secretRef = new SecretKeys("kafka-user");
    auth.secretRef.passwordKey = "pw";
    shop.getSpec().kafka.authentication = auth;
    var deployment = ServiceDeployment.of(shop, shop.getSpec().service("user").orElseThrow(), "h");
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    var password =
        container.getEnv().stream()
            .filter(e -> e.getName().equals(Env.KAFKA_PASSWORD))
            .findFirst()
            .orElseThrow();
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kafka-user");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
  }

  @Test
  void withoutKafkaOrPersistenceNoSuchEnv() {
    shop.getSpec().kafka = null;
    shop.getSpec().persistence = null;
    var service = shop.getSpec().service("shipping").orElseThrow();
    var env = env(ServiceDeployment.of(shop, service, "h"));
    assertThat(env).doesNotContainKeys(Env.KAFKA_BOOTSTRAP_SERVERS, Env.JDBC_URL, Env.JDBC_USER);
    assertThat(env).containsEntry(Env.PEERS, "user=shop-user");
  }

  @Test
  void userEnvComesAfterTheOperatorsAndTemplateOverridesApply() {
    var service = shop.getSpec().service("shipping").orElseThrow();
    service.env = List.of(new EnvVarBuilder().withName("JAVA_OPTS").withValue("-Xmx256m").build());
    service.template = new PodTemplateOverrides();
    service.template.labels = Map.of("team", "logistics");
    service.template.nodeSelector = Map.of("disk", "ssd");
    var deployment = ServiceDeployment.of(shop, service, "h");
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv().get(container.getEnv().size() - 1).getName())
        .isEqualTo("JAVA_OPTS");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "logistics")
        .containsEntry(Labels.SERVICE, "shipping");
    assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("disk", "ssd");
    // the selector never includes user labels: it must never change
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
  }

  @Test
  void rollsOneNewPodInBeforeTakingOneOut() {
    var deployment = ServiceDeployment.of(shop, shop.getSpec().service("order").orElseThrow(), "h");
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
        .isEqualTo(1);
  }

  /** NAME=value, or where the value comes from: field:path or secret:name/key. */
  static String describe(EnvVar e) {
    if (e.getValueFrom() == null) {
      return e.getName() + "=" + e.getValue();
    }
    var from = e.getValueFrom();
    if (from.getFieldRef() != null) {
      return e.getName() + "<-field:" + from.getFieldRef().getFieldPath();
    }
    var secret = from.getSecretKeyRef();
    return e.getName() + "<-secret:" + secret.getName() + "/" + secret.getKey();
  }

  private static Map<String, String> env(
      io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
