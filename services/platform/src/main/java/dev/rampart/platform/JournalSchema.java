package dev.rampart.platform;

import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.testkit.javadsl.SchemaUtils;
import akka.projection.jdbc.javadsl.JdbcProjection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal, snapshot, durable-state and projection-offset tables when absent, with
 * akka-persistence-jdbc's and akka-projection-jdbc's own DDL. Nodes of one service start together,
 * so concurrent creation races are retried.
 */
public final class JournalSchema {
  private static final Logger log = LoggerFactory.getLogger(JournalSchema.class);

  public static void createIfAbsent(ActorSystem<?> system) {
    Duration timeout = system.settings().config().getDuration("rampart.schema-timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        SchemaUtils.createIfNotExists(system)
            .toCompletableFuture()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        JdbcProjection.createTablesIfNotExists(JournalJdbcSession.factory(system), system)
            .toCompletableFuture()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Journal and projection tables are in place");
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not create the journal schema within " + timeout, e);
        }
        log.warn(
            "Creating the journal schema failed (attempt {}), retrying: {}", attempt, e.toString());
        sleep(Math.min(5000, 250L * attempt));
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JournalSchema() {}
}
