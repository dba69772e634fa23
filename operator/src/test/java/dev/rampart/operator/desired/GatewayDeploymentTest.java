package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Env;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.GatewayStreams;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GatewayDeploymentTest {
  private final MicroserviceSystem shop = Samples.shop("ns");
  private final GatewaySpec gateway = shop.getSpec().gateway;

  @Test
  void theGatewayOfTheSampleGetsExactlyThisDeployment() {
    var deployment = GatewayDeployment.of(shop, gateway, "h");
    assertThat(deployment.getMetadata().getName()).isEqualTo("shop-gateway");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("rampart.dev/system", "shop", "rampart.dev/service", "gateway"));
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "gateway")
        .containsEntry("rampart.dev/discovery", "shop-gateway");
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("shop-gateway");
    var container = template.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/rampart/gateway:0.1.0");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    // liveness waits for the start-up: up to 5 min on the liveness path
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(60);
    assertThat(container.getEnv())
        .extracting(ServiceDeploymentTest::describe)
        .containsExactly(
            "RAMPART_SYSTEM=shop",
            "RAMPART_SERVICE=gateway",
            "POD_NAME<-field:metadata.name",
            "POD_NAMESPACE<-field:metadata.namespace",
            "POD_IP<-field:status.podIP",
            "RAMPART_LOG_FORMAT=json",
            "RAMPART_HTTP_PORT=8080",
            "RAMPART_DISCOVERY_METHOD=kubernetes-api",
            "RAMPART_GATEWAY_ROUTES=/api/orders=order:orders.v1,/api/users=user:users.v1",
            "RAMPART_PEERS=order=shop-order,user=shop-user",
            "RAMPART_JWT_JWKS_PATH=/etc/rampart/jwt/jwks.json",
            "RAMPART_JWT_ISSUER=https://id.example.com/",
            "RAMPART_JWT_AUDIENCE=shop",
            "RAMPART_RATE_LIMIT_RPS=20",
            "RAMPART_RATE_LIMIT_BURST=40",
            "RAMPART_CORS_ALLOWED_ORIGINS=https://shop.example.com");
  }

  @Test
  void mountsTheJwksSecretReadOnlyUnderAFixedFileName() {
    gateway.auth.jwksSecretRef.key = "current.jwks";
    var pod = GatewayDeployment.of(shop, gateway, "h").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("jwks");
              assertThat(v.getSecret().getSecretName()).isEqualTo("shop-jwks");
              assertThat(v.getSecret().getItems())
                  .singleElement()
                  .satisfies(
                      i -> {
                        assertThat(i.getKey()).isEqualTo("current.jwks");
                        assertThat(i.getPath()).isEqualTo("jwks.json");
                      });
              assertThat(v.getSecret().getOptional()).isNull();
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> !m.getMountPath().equals("/tmp"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getName()).isEqualTo("jwks");
              assertThat(m.getMountPath()).isEqualTo("/etc/rampart/jwt");
              assertThat(m.getReadOnly()).isTrue();
              // a subPath mount would never see a rotated key
              assertThat(m.getSubPath()).isNull();
            });
    assertThat(env(GatewayDeployment.of(shop, gateway, "h")))
        .containsEntry(Env.JWT_JWKS_PATH, "/etc/rampart/jwt/jwks.json");
  }

  @Test
  void theKeyDefaultsToJwksJson() {
    gateway.auth.jwksSecretRef.key = null;
    var volume =
        GatewayDeployment.of(shop, gateway, "h")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .get(0);
    assertThat(volume.getSecret().getItems().get(0).getKey()).isEqualTo("jwks.json");
  }

  @Test
  void authRateLimitAndCorsBecomeTheGatewaysEnv() {
    gateway.corsAllowedOrigins = List.of("https://shop.example.com", "http://localhost:3000");
    var env = env(GatewayDeployment.of(shop, gateway, "h"));
    assertThat(env)
        .containsEntry(Env.JWT_JWKS_PATH, GatewayDeployment.JWKS_PATH)
        .containsEntry(Env.JWT_ISSUER, "https://id.example.com/")
        .containsEntry(Env.JWT_AUDIENCE, "shop")
        .containsEntry(Env.RATE_LIMIT_RPS, "20")
        .containsEntry(Env.RATE_LIMIT_BURST, "40")
        .containsEntry(Env.CORS_ALLOWED_ORIGINS, "https://shop.example.com,http://localhost:3000")
        .containsEntry(Env.GATEWAY_ROUTES, "/api/orders=order:orders.v1,/api/users=user:users.v1");
  }

  @Test
  void aRemoteJwksIsPassedAsItsUrlWithNoSecretVolume() {
    gateway.auth.jwksSecretRef = null;
    gateway.auth.jwksUri = "https://id.example.com/.well-known/jwks.json";
    var deployment = GatewayDeployment.of(shop, gateway, "h");
    assertThat(env(deployment))
        .containsEntry(Env.JWT_JWKS_URI, "https://id.example.com/.well-known/jwks.json")
        .doesNotContainKey(Env.JWT_JWKS_PATH);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getName().equals(GatewayDeployment.JWKS_VOLUME));
  }

  @Test
  void streamCapsBecomeTheGatewaysEnvEachOnlyWhenSet() {
    gateway.streams = new GatewayStreams(4, 2000);
    assertThat(env(GatewayDeployment.of(shop, gateway, "h")))
        .containsEntry(Env.STREAMS_PER_SUBJECT, "4")
        .containsEntry(Env.STREAMS_PER_POD, "2000");
    gateway.streams = new GatewayStreams(null, 50);
    assertThat(env(GatewayDeployment.of(shop, gateway, "h")))
        .containsEntry(Env.STREAMS_PER_POD, "50")
        .doesNotContainKey(Env.STREAMS_PER_SUBJECT);
    gateway.streams = null;
    assertThat(env(GatewayDeployment.of(shop, gateway, "h")))
        .doesNotContainKeys(Env.STREAMS_PER_SUBJECT, Env.STREAMS_PER_POD);
  }

  @Test
  void withoutRateLimitOrCorsTheGatewayDefaultsApply() {
    gateway.rateLimit = null;
    gateway.corsAllowedOrigins = null;
    var env = env(GatewayDeployment.of(shop, gateway, "h"));
    assertThat(env)
        .doesNotContainKeys(Env.RATE_LIMIT_RPS, Env.RATE_LIMIT_BURST, Env.CORS_ALLOWED_ORIGINS);
    assertThat(env).containsKeys(Env.JWT_JWKS_PATH, Env.JWT_ISSUER, Env.JWT_AUDIENCE);
  }

  @Test
  void theJwksIsTheGatewaysReferenceNotTheServices() {
    // it goes into the gateway's config hash (a rotation rolls the gateway), not the services'
    assertThat(ConfigReferences.ofGateway(shop))
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.name()).isEqualTo("shop-jwks");
              assertThat(ref.field()).isEqualTo("spec.gateway.auth.jwksSecretRef");
              assertThat(ref.ofGateway()).isTrue();
            });
    assertThat(shop.getSpec().services())
        .allSatisfy(
            s ->
                assertThat(ConfigReferences.of(shop, s))
                    .noneMatch(ref -> ref.name().equals("shop-jwks")));
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
