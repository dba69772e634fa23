package dev.rampart.platform;

import akka.actor.ActorSystem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Readiness check (registered in rampart-platform.conf next to Akka's cluster-membership check):
 * the journal answers {@code SELECT 1} through its own pool within {@code
 * rampart.journal-check-timeout}.
 */
public final class JournalHealthCheck implements Supplier<CompletionStage<Boolean>> {
  private final JournalDatabase database;
  private final Executor blocking;
  private final Duration timeout;

  public JournalHealthCheck(ActorSystem system) {
    this.database = JournalDatabase.of(system);
    this.blocking = system.dispatchers().lookup("akka.actor.default-blocking-io-dispatcher");
    this.timeout = system.settings().config().getDuration("rampart.journal-check-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.supplyAsync(this::selectOne, blocking)
        .completeOnTimeout(false, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private boolean selectOne() {
    try (Connection c = database.connection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        return rs.next();
      }
    } catch (Exception e) {
      return false;
    }
  }
}
