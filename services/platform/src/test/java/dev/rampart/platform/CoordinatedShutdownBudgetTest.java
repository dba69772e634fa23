package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Shutdown;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pods' grace period ({@link Shutdown}) is derived from the platform's coordinated-shutdown
 * phases: in the worst case every phase runs to its timeout, one after the other.
 */
class CoordinatedShutdownBudgetTest {
  private final Config config =
      PlatformConfig.load(PlatformSettings.fromEnv("budget", Map.of()), ConfigFactory.empty());

  @Test
  void graceCoversEveryPhaseTimeoutPlusTheExit() {
    Config shutdown = config.getConfig("akka.coordinated-shutdown");
    Duration fallback = shutdown.getDuration("default-phase-timeout");
    Config phases = shutdown.getConfig("phases");
    Duration sum =
        phases.root().keySet().stream()
            .map(
                phase -> {
                  Config p = phases.getConfig("\"" + phase + "\"");
                  return p.hasPath("timeout") ? p.getDuration("timeout") : fallback;
                })
            .reduce(Duration.ZERO, Duration::plus);
    assertThat(sum.toSeconds())
        .as("sum of the phase timeouts: update Shutdown.PHASE_TIMEOUTS_SECONDS")
        .isEqualTo(Shutdown.PHASE_TIMEOUTS_SECONDS);
    assertThat(Shutdown.TERMINATION_GRACE_SECONDS)
        .isEqualTo(Shutdown.PHASE_TIMEOUTS_SECONDS + Shutdown.EXIT_MARGIN_SECONDS);
  }

  @Test
  void drainFitsItsPhaseAndTheGrpcDeadlineFitsRequestsDone() {
    assertThat(config.getDuration("rampart.shutdown.drain"))
        .isLessThan(
            config.getDuration("akka.coordinated-shutdown.phases.before-service-unbind.timeout"));
    assertThat(ServiceRuntime.GRPC_TERMINATION_DEADLINE)
        .isLessThan(
            config.getDuration("akka.coordinated-shutdown.phases.service-requests-done.timeout"));
  }
}
