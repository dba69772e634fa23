package dev.rampart.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.testing.RepoPaths;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRD is the generated one: files/crds/ is a byte-for-byte copy of the repository's
 * crds/ (which the operator's build generates), and the template adds only Helm's labels and the
 * keep policy.
 */
class ChartCrdTest {
  static final String SYNC =
      "cp crds/*.yml charts/rampart-operator/files/crds/ (and delete copies of removed CRDs)";

  @Test
  void chartHoldsExactlyTheGeneratedCrds() throws IOException {
    Map<String, String> generated = crdFiles(RepoPaths.crds());
    Map<String, String> inChart = crdFiles(Chart.dir().resolve("files").resolve("crds"));

    assertThat(generated).as("the repository's crds/ directory").isNotEmpty();
    assertThat(inChart.keySet())
        .as("CRD files in the chart; to fix: " + SYNC)
        .isEqualTo(generated.keySet());
    generated.forEach(
        (file, content) ->
            assertThat(inChart.get(file))
                .as(
                    "charts/rampart-operator/files/crds/%s differs from crds/%s; to fix: %s",
                    file, file, SYNC)
                .isEqualTo(content));
  }

  @Test
  void templateRendersEachCrdUnchangedPlusLabelsAndTheKeepPolicy() throws IOException {
    var chart = Chart.render();
    Map<String, String> generated = crdFiles(RepoPaths.crds());

    assertThat(chart.all(CustomResourceDefinition.class)).hasSameSizeAs(generated.values());
    for (String content : generated.values()) {
      CustomResourceDefinition source =
          Serialization.unmarshal(content, CustomResourceDefinition.class);
      CustomResourceDefinition rendered =
          chart.one(CustomResourceDefinition.class, null, source.getMetadata().getName());
      assertThat(rendered.getApiVersion()).isEqualTo(source.getApiVersion());
      assertThat(rendered.getSpec()).isEqualTo(source.getSpec());
      assertThat(rendered.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
      assertThat(rendered.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
    }
  }

  @Test
  void crdsCanBeLeftToTheUserOrDroppedOnUninstall() {
    assertThat(Chart.render("--set", "crds.install=false").all(CustomResourceDefinition.class))
        .isEmpty();
    assertThat(Chart.render("--set", "crds.keep=false").all(CustomResourceDefinition.class))
        .isNotEmpty()
        .allSatisfy(
            crd ->
                assertThat(crd.getMetadata().getAnnotations())
                    .doesNotContainKey("helm.sh/resource-policy"));
  }

  /**
   * File name → content of every CRD YAML file in a directory (empty map if the directory is
   * absent).
   */
  static Map<String, String> crdFiles(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file :
          list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
