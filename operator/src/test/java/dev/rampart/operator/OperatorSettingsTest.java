package dev.rampart.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void defaultsWatchAllNamespacesWithLeaderElectionWhereThePodNamespaceIsKnown() {
    var settings = OperatorSettings.fromEnv(Map.of("POD_NAMESPACE", "rampart-system"));
    assertThat(settings.namespaces()).isEmpty();
    assertThat(settings.leaseNamespace()).contains("rampart-system");
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.exitOnFatalError())
        .as("the operator's pod restarts on a fatal error")
        .isTrue();
  }

  @Test
  void listedNamespacesAndNoElection() {
    var settings =
        OperatorSettings.fromEnv(
            Map.of(
                OperatorSettings.WATCH_NAMESPACES,
                " shop, , billing ",
                OperatorSettings.LEADER_ELECTION,
                "false",
                "POD_NAMESPACE",
                "x",
                OperatorSettings.HTTP_PORT,
                "9090"));
    assertThat(settings.namespaces()).isEqualTo(Set.of("shop", "billing"));
    assertThat(settings.leaseNamespace()).isEqualTo(Optional.empty());
    assertThat(settings.httpPort()).isEqualTo(9090);
  }
}
