package dev.rampart.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json: a bad value fails helm template (as it fails install and upgrade) and names
 * the value.
 */
class ChartValuesSchemaTest {

  @ParameterizedTest(name = "{0} is rejected")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas=-1                                  | /replicas",
        "replicas=two                                 | /replicas",
        "image.repository=Not A Repo                  | /image/repository",
        "image.tag=bad tag                            | /image/tag",
        "image.digest=sha256:abc                      | /image/digest",
        "image.pullPolicy=Sometimes                   | /image/pullPolicy",
        "httpPort=80                                  | /httpPort",
        "httpPort=70000                               | /httpPort",
        "watchNamespaces={Shop_NS}                    | /watchNamespaces/0",
        "watchNamespaces={shop,shop}                  | /watchNamespaces",
        "leaderElection.enabled=false                 | /replicas",
        "leaderElection.enabled=maybe                 | /leaderElection/enabled",
        "serviceAccount.create=false                  | /serviceAccount/name",
        "crds.install=yes                             | /crds/install",
        "resources.limits.memory=lots                 | /resources/limits/memory",
        "probes.readiness.periodSeconds=0             | /probes/readiness/periodSeconds",
        "securityContext.capabilities.drop=ALL        | /securityContext/capabilities/drop",
        "podSecurityContext.runAsUser=-5              | /podSecurityContext/runAsUser",
        "metrics.service.port=0                       | /metrics/service/port",
        "metrics.serviceMonitor.interval=soon         | /metrics/serviceMonitor/interval",
        "nodeSelector.disk=1                          | /nodeSelector/disk",
        "replica=3                                    | additional properties 'replica' not"
            + " allowed",
      })
  void badValueFailsWithItsPath(String value, String expectedInMessage) {
    Command template = Chart.template("--set", value);

    assertThat(template.exitCode()).as(template.toString()).isNotZero();
    assertThat(template.stderr())
        .as(template.toString())
        .contains("values don't meet the specifications of the schema")
        .contains(expectedInMessage);
  }

  @Test
  void aTypoInAValuesFileIsRejectedToo() throws Exception {
    var file = java.nio.file.Files.createTempFile("values-", ".yaml");
    java.nio.file.Files.writeString(
        file, "image:\n  repository: ghcr.io/rampart/rampart-operator\n  pullpolicy: Always\n");

    Command template = Chart.template("--values", file.toString());

    assertThat(template.exitCode()).as(template.toString()).isNotZero();
    assertThat(template.stderr())
        .contains("/image")
        .contains("additional properties 'pullpolicy' not allowed");
  }

  @Test
  void serviceMonitorWithoutItsServiceExplainsWhy() {
    Command template =
        Chart.template(
            "--set", "metrics.serviceMonitor.enabled=true,metrics.service.enabled=false");

    assertThat(template.exitCode()).isNotZero();
    assertThat(template.stderr())
        .contains("metrics.serviceMonitor.enabled needs metrics.service.enabled");
  }
}
