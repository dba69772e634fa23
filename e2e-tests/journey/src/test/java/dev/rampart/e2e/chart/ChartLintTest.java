package dev.rampart.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm lint --strict (warnings are failures; not even an INFO is left) with the defaults and with
 * every optional part on.
 */
class ChartLintTest {

  @ParameterizedTest(name = "helm lint --strict {0}")
  @ValueSource(
      strings = {
        "",
        "watchNamespaces={shop,staging},metrics.serviceMonitor.enabled=true,image.digest=sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "leaderElection.enabled=false,replicas=1,crds.install=false,metrics.service.enabled=false,"
            + "serviceAccount.create=false,"
            + "serviceAccount.name=existing"
      })
  void lintIsClean(String values) {
    Command lint =
        values.isEmpty()
            ? Chart.helm("lint", "--strict", Chart.dir().toString())
            : Chart.helm("lint", "--strict", Chart.dir().toString(), "--set", values);

    assertThat(lint.exitCode()).as(lint.toString()).isZero();
    assertThat(lint.stdout())
        .as(lint.toString())
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[INFO]")
        .doesNotContain("[WARNING]")
        .doesNotContain("[ERROR]");
  }
}
