package dev.rampart.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.RunningOperator;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator embedded in a test JVM survives a fatal informer error, such as the one an informer
 * meets when the client closes under it: it logs it instead of calling System.exit (JOSDK's
 * default), which would kill the Surefire fork and every test class after this one.
 */
class EmbeddedOperatorTest {
  @Test
  void aFatalInformerErrorIsLoggedNotExited() {
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
      var handler = operator.getConfigurationService().getInformerStoppedHandler().orElseThrow();
      var informer = client.pods().inAnyNamespace().runnableInformer(0);
      // what JOSDK calls when a synced informer dies; the default handler exits the JVM here
      handler.onStop(informer, new KubernetesClientException("Client already closed"));
      assertThat(appender.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).startsWith("informer stopped");
                assertThat(e.getThrowableProxy().getMessage()).isEqualTo("Client already closed");
              });
    } finally {
      operator.stop();
      client.close();
      log.detachAppender(appender);
    }
  }
}
