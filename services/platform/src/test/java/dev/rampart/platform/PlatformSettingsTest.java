package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformSettingsTest {

  @Test
  void kubernetesPodEnvironmentBecomesBootstrapAndDiscoveryConfig() {
    Map<String, String> env =
        Map.of(
            Env.SYSTEM,
            "shop",
            Env.SERVICE,
            "order",
            Env.POD_IP,
            "10.1.2.3",
            Env.POD_NAMESPACE,
            "prod",
            Env.DISCOVERY_METHOD,
            Env.DISCOVERY_KUBERNETES,
            Env.BOOTSTRAP_SERVICE_NAME,
            "shop-order",
            Env.REQUIRED_CONTACT_POINTS,
            "3",
            Env.POD_LABEL_SELECTOR,
            Labels.DISCOVERY_SELECTOR_TEMPLATE,
            Env.PEERS,
            "user=shop-user,shipping=shop-shipping",
            Env.JDBC_URL,
            "jdbc:postgresql://db:5432/shop");

    Config c = PlatformConfig.fromSettings(PlatformSettings.fromEnv("ignored", env));

    assertThat(c.getString("akka.remote.artery.canonical.hostname")).isEqualTo("10.1.2.3");
    assertThat(c.getString("akka.management.http.hostname")).isEqualTo("10.1.2.3");
    assertThat(c.getInt("akka.management.http.port")).isEqualTo(8558);
    assertThat(c.getString("rampart.grpc.interface")).isEqualTo("10.1.2.3");
    assertThat(
            c.getString(
                "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
    assertThat(
            c.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name"))
        .isEqualTo("shop-order");
    assertThat(c.getString("akka.management.cluster.bootstrap.contact-point-discovery.port-name"))
        .isEqualTo("management");
    assertThat(
            c.getInt(
                "akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"))
        .isEqualTo(3);
    assertThat(c.getBoolean("akka.discovery.kubernetes-api.use-raw-ip")).isTrue();
    assertThat(c.getString("akka.discovery.kubernetes-api.pod-namespace")).isEqualTo("prod");
    assertThat(c.getString("akka.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("rampart.dev/discovery=%s");
    assertThat(c.getString("akka.discovery.kubernetes-api.api-token-path"))
        .isEqualTo(Env.DEFAULT_TOKEN_PATH);
    assertThat(c.getString("akka-persistence-jdbc.shared-databases.rampart.profile"))
        .isEqualTo("slick.jdbc.PostgresProfile$");
    assertThat(c.getString("akka.projection.jdbc.dialect")).isEqualTo("postgres-dialect");
  }

  @Test
  void localRunUsesConfigDiscoveryWithContactPointsAndStaticPeers() {
    Map<String, String> env =
        Map.of(
            Env.SERVICE,
            "order",
            Env.POD_IP,
            "127.0.0.2",
            Env.CONTACT_POINTS,
            "127.0.0.1:8558,127.0.0.2:8558,127.0.0.3:8558",
            Env.PEER_ENDPOINTS,
            "user=127.0.0.1:9101|127.0.0.2:9101,shipping=127.0.0.9:9201");

    PlatformSettings s = PlatformSettings.fromEnv("order", env);
    Config c = PlatformConfig.fromSettings(s);

    assertThat(s.requiredContactPoints()).isEqualTo(3);
    assertThat(s.bootstrapServiceName()).isEqualTo("rampart-order");
    assertThat(s.journal().dialect()).isEqualTo(JournalSettings.Dialect.H2);
    assertThat(c.getConfigList("akka.discovery.config.services.\"rampart-order\".endpoints"))
        .extracting(e -> e.getString("host") + ":" + e.getInt("port"))
        .containsExactly("127.0.0.1:8558", "127.0.0.2:8558", "127.0.0.3:8558");
    assertThat(c.getConfigList("akka.discovery.config.services.\"rampart-peer-user\".endpoints"))
        .extracting(e -> e.getString("host") + ":" + e.getInt("port"))
        .containsExactly("127.0.0.1:9101", "127.0.0.2:9101");
    assertThat(s.peerEndpoints().get("shipping"))
        .containsExactly(new PlatformSettings.HostPort("127.0.0.9", 9201));
  }

  @Test
  void badValuesAreRejectedWithTheVariableName() {
    assertThatThrownBy(() -> PlatformSettings.fromEnv("order", Map.of(Env.GRPC_PORT, "http")))
        .hasMessageContaining(Env.GRPC_PORT);
    assertThatThrownBy(
            () -> PlatformSettings.fromEnv("order", Map.of(Env.MANAGEMENT_PORT, "70000")))
        .hasMessageContaining(Env.MANAGEMENT_PORT);
    assertThatThrownBy(() -> PlatformSettings.fromEnv("order", Map.of(Env.DISCOVERY_METHOD, "dns")))
        .hasMessageContaining(Env.DISCOVERY_METHOD);
    assertThatThrownBy(
            () -> PlatformSettings.fromEnv("order", Map.of(Env.PEER_ENDPOINTS, "user=nohost")))
        .hasMessageContaining(Env.PEER_ENDPOINTS);
    assertThatThrownBy(
            () -> PlatformSettings.fromEnv("order", Map.of(Env.JDBC_URL, "jdbc:mysql://x/y")))
        .hasMessageContaining(Env.JDBC_URL);
    assertThatThrownBy(
            () -> PlatformSettings.fromEnv("order", Map.of(Env.REQUIRED_CONTACT_POINTS, "0")))
        .hasMessageContaining(Env.REQUIRED_CONTACT_POINTS);
  }

  @Test
  void kafkaCredentialsAreOptionalAndNeverPrinted() {
    KafkaSettings k =
        PlatformSettings.fromEnv(
                "order",
                Map.of(
                    Env.KAFKA_BOOTSTRAP_SERVERS,
                    "k:9092",
                    Env.KAFKA_USERNAME,
                    "order",
                    Env.KAFKA_PASSWORD,
                    "s3cret",
                    Env.KAFKA_PRODUCES,
                    "order-events, order-events-public"))
            .kafka();
    assertThat(k.produces()).isEqualTo(List.of("order-events", "order-events-public"));
    assertThat(k.toString()).doesNotContain("s3cret");
  }

  @Test
  void aRealPodListensOnLocalhostTooAndALoopbackPodOnlyWhenGivenADistinctOne() {
    assertThat(PlatformSettings.fromEnv("order", Map.of(Env.POD_IP, "10.1.2.3")).localhost())
        .contains("127.0.0.1");
    // pods sharing one loopback (local runs, tests, process pods): 127.0.0.1 would collide
    assertThat(PlatformSettings.fromEnv("order", Map.of(Env.POD_IP, "127.0.0.2")).localhost())
        .isEmpty();
    assertThat(PlatformSettings.fromEnv("order", Map.of()).localhost()).isEmpty();
    assertThat(
            PlatformSettings.fromEnv(
                    "order", Map.of(Env.POD_IP, "127.64.1.2", Env.LOCALHOST, "127.64.129.2"))
                .localhost())
        .contains("127.64.129.2");
    assertThat(
            PlatformSettings.fromEnv(
                    "order", Map.of(Env.POD_IP, "10.1.2.3", Env.LOCALHOST, "10.1.2.3"))
                .localhost())
        .isEmpty();
    // remoting keeps advertising and binding the pod IP only
    Config c =
        PlatformConfig.fromSettings(
            PlatformSettings.fromEnv("order", Map.of(Env.POD_IP, "10.1.2.3")));
    assertThat(c.getString("akka.remote.artery.canonical.hostname")).isEqualTo("10.1.2.3");
    assertThat(c.getString("akka.remote.artery.bind.hostname")).isEqualTo("10.1.2.3");
  }
}
