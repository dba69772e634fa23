package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code run-kind-e2e.sh --check}, without Docker: everything the kind script applies, rendered by
 * the script itself ({@code --render}: the Kafka and KafkaNodePool, the GatewayClass and Gateway,
 * PostgreSQL, the operator chart through {@code helm template} with the script's values) plus the
 * kind-adjusted sample ({@link KindShop#kindSample}) and the carrier simulator's namespace, Secret,
 * Deployment and Service ({@link KindCarrier}), must pass {@code kubectl apply --dry-run=server} on
 * a real kube-apiserver with the CRDs installed (the project's generated Strimzi and Gateway API
 * CRDs, Rampart's own). Not checked here: the Strimzi and Envoy Gateway install bundles, which come
 * from their registries at run time, and the body of Strimzi's resources (its CRDs' schemas are
 * open).
 */
@Tag("kind")
@EnabledIfSystemProperty(named = "rampart.e2e.kind.check", matches = "true")
class KindManifestsTest {
  private static final List<String> NAMESPACES =
      List.of(
          "kafka",
          "infra",
          "database",
          "rampart-system",
          KindCarrier.NAMESPACE,
          ShopCluster.NAMESPACE);

  @Test
  void everyManifestTheKindScriptAppliesPassesServerSideDryRun() throws Exception {
    Path dir = Files.createTempDirectory("kind-manifests-");
    try (LocalControlPlane plane =
        LocalControlPlane.builder()
            .withCrds(
                List.of(
                    RepoPaths.thirdPartyCrd("kafkas.kafka.strimzi.io"),
                    RepoPaths.thirdPartyCrd("kafkanodepools.kafka.strimzi.io"),
                    RepoPaths.thirdPartyCrd("kafkatopics.kafka.strimzi.io"),
                    RepoPaths.thirdPartyCrd("gatewayclasses.gateway.networking.k8s.io"),
                    RepoPaths.thirdPartyCrd("gateways.gateway.networking.k8s.io"),
                    RepoPaths.thirdPartyCrd("httproutes.gateway.networking.k8s.io"),
                    RepoPaths.root().resolve("crds/microservicesystems.rampart.dev-v1.yml")))
            .start()) {
      render(dir, plane.toolchain().helm());
      var settings =
          new KindShop.Settings(
              dir.resolve("unused-kubeconfig"),
              "rampart-kafka-kafka-bootstrap.kafka:9092",
              "rampart-kafka",
              "jdbc:postgresql://postgres.database:5432/shop",
              "rampart",
              "rampart",
              "kind-check");
      var sample = KindShop.kindSample(settings);
      var serialization = new KubernetesSerialization();
      Files.writeString(dir.resolve("shop-sample.yaml"), serialization.asYaml(sample));
      // the carrier simulator, outside the shop (KindShop.apply applies these before the sample)
      Files.writeString(
          dir.resolve("carrier.yaml"),
          KindShop.carrierManifests(settings, sample, new LocalJwtIssuer()).stream()
              .map(serialization::asYaml)
              .collect(Collectors.joining("\n---\n")));
      for (String namespace : NAMESPACES) {
        plane
            .client()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
      Map<String, String> outcomes = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          try {
            outcomes.put(
                file.getFileName().toString(),
                plane.kubectl("apply", "--dry-run=server", "-f", file.toString()).trim());
          } catch (IllegalStateException e) {
            failures.add(file.getFileName() + ": " + e.getMessage());
          }
        }
      }
      outcomes.forEach((file, out) -> System.out.println("==> " + file + "\n" + out));
      assertThat(failures).as("kubectl apply --dry-run=server").isEmpty();
      assertThat(outcomes)
          .containsOnlyKeys(
              "carrier.yaml",
              "gateway.yaml",
              "kafka.yaml",
              "operator-chart.yaml",
              "postgres.yaml",
              "shop-sample.yaml");
      assertThat(String.join("\n", outcomes.values()))
          .contains("kafkanodepool.kafka.strimzi.io/dual-role created (server dry run)")
          .contains("kafka.kafka.strimzi.io/rampart-kafka created (server dry run)")
          .contains("gateway.gateway.networking.k8s.io/public-gateway created (server dry run)")
          .contains("microservicesystem.rampart.dev/shop created (server dry run)")
          .contains("deployment.apps/")
          .contains("deployment.apps/carrier-simulator created (server dry run)")
          .contains("service/carrier-simulator created (server dry run)")
          .contains("secret/carrier-webhook created (server dry run)")
          .contains("microservicesystem.rampart.dev/shop created (server dry run)");
    }
  }

  /** The script's own --render, with the toolchain's helm. */
  private static void render(Path dir, Path helm) throws IOException, InterruptedException {
    ProcessBuilder render =
        new ProcessBuilder(
                "bash",
                RepoPaths.root().resolve("e2e-tests/kind/run-kind-e2e.sh").toString(),
                "--render",
                dir.toString())
            .redirectErrorStream(true);
    render.environment().put("HELM", helm.toString());
    Process process = render.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("run-kind-e2e.sh --render:\n" + output).isZero();
  }
}
