package dev.rampart.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator embedded in a test JVM outlives a client that closes under it: its informers stop,
 * and it logs that instead of calling System.exit (JOSDK's default), which would kill the Surefire
 * fork and every test class after this one.
 */
class EmbeddedOperatorTest {
  @Test
  void informersStoppedByAClosedClientDoNotExitTheJvm() {
    var appender = new ListAppender<ILoggingEvent>();
    var log = (Logger) LoggerFactory.getLogger(RampartOperator.class);
    appender.start();
    log.addAppender(appender);
    var client = RunningOperator.newClient(OperatorControlPlane.shared());
    Operator operator =
        RampartOperator.create(
            client, OperatorSettings.allNamespacesNoElection(0), new SimpleMeterRegistry());
    try {
      operator.start();
      client.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(appender.list)
                      .anySatisfy(
                          e -> {
                            assertThat(e.getLevel()).isEqualTo(Level.WARN);
                            assertThat(e.getFormattedMessage()).startsWith("informer stopped");
                          }));
    } finally {
      operator.stop();
      log.detachAppender(appender);
    }
  }
}
