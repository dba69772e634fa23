package dev.rampart.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which pods of an API server pod list get calls. */
class ReadyPodsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String pod(String name, String ip, String phase, String ready, boolean deleting) {
    return """
    {"metadata": {"name": "%s"%s},
     "spec": {"containers": [{"name": "service", "ports": [
       {"name": "management", "containerPort": 8558, "protocol": "TCP"},
       {"name": "grpc", "containerPort": 8101, "protocol": "TCP"}]}]},
     "status": {"phase": "%s", "podIP": "%s", "conditions": [
       {"type": "Initialized", "status": "True"},
       {"type": "Ready", "status": "%s"},
       {"type": "ContainersReady", "status": "%s"}]}}
    """
        .formatted(
            name,
            deleting ? ", \"deletionTimestamp\": \"2026-12-02T04:00:00Z\"" : "",
            phase,
            ip,
            ready,
            ready);
  }

  @Test
  void onlyReadyRunningPodsThatAreNotBeingDeleted() throws Exception {
    String list =
        """
        {"kind": "PodList", "apiVersion": "v1", "items": [%s, %s, %s, %s]}
        """
            .formatted(
                pod("ready", "10.0.0.1", "Running", "True", false),
                pod("starting", "10.0.0.2", "Running", "False", false),
                pod("pending", "10.0.0.3", "Pending", "False", false),
                pod("terminating", "10.0.0.4", "Running", "True", true));
    var targets = ReadyPods.targets(JSON.readTree(list), Optional.of("grpc"));
    assertThat(targets)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.host()).isEqualTo("10.0.0.1");
              assertThat(t.port().get()).isEqualTo(8101);
              assertThat(t.address().get().getHostAddress()).isEqualTo("10.0.0.1");
            });
  }

  @Test
  void podsWithoutTheNamedPortOrAnIpAreLeftOut() throws Exception {
    String list =
        """
        {"items": [%s, %s]}
        """
            .formatted(
                pod("ready", "10.0.0.1", "Running", "True", false),
                pod("no-ip", "", "Running", "True", false));
    assertThat(ReadyPods.targets(JSON.readTree(list), Optional.of("http"))).isEmpty();
    assertThat(ReadyPods.targets(JSON.readTree(list), Optional.empty()))
        .singleElement()
        .satisfies(t -> assertThat(t.port().isEmpty()).isTrue());
  }
}
