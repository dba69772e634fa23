package dev.rampart.platform;

import akka.actor.ClassicActorSystemProvider;
import akka.persistence.jdbc.db.SlickExtension;
import akka.persistence.jdbc.db.SlickExtensionImpl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The journal's own connection pool (akka-persistence-jdbc's shared database "rampart").
 * Projections and the readiness check borrow connections from it, so "journal reachable" means
 * exactly that, and a node holds one pool, not one per use.
 */
public final class JournalDatabase {
  private final slick.jdbc.JdbcDataSource source;

  private JournalDatabase(slick.jdbc.JdbcDataSource source) {
    this.source = source;
  }

  public static JournalDatabase of(ClassicActorSystemProvider system) {
    SlickExtensionImpl slick = (SlickExtensionImpl) SlickExtension.get(system);
    return new JournalDatabase(
        slick
            .database(system.classicSystem().settings().config().getConfig("jdbc-journal"))
            .database()
            .source());
  }

  /**
   * Opens every connection the pool may hold, all at once, each checked with {@code SELECT 1}, and
   * returns them to it: a new node's first writes then find open connections (HikariCP adds them
   * one by one on demand, each seconds on a busy node). Completes with the number opened.
   */
  public CompletionStage<Integer> openAll(ClassicActorSystemProvider system) {
    int size =
        system
            .classicSystem()
            .settings()
            .config()
            .getInt("akka-persistence-jdbc.shared-databases.rampart.db.maxConnections");
    Executor blocking =
        system.classicSystem().dispatchers().lookup("akka.actor.default-blocking-io-dispatcher");
    return CompletableFuture.supplyAsync(
        () -> {
          List<Connection> open = new ArrayList<>();
          try {
            for (int i = 0; i < size; i++) {
              Connection c = connection();
              open.add(c);
              try (Statement s = c.createStatement()) {
                s.execute("SELECT 1");
              }
            }
            return open.size();
          } catch (SQLException e) {
            throw new CompletionException(e);
          } finally {
            for (Connection c : open) {
              try {
                c.close();
              } catch (SQLException e) {
                // back to the pool or dropped by it: either is fine
              }
            }
          }
        },
        blocking);
  }

  /** A pooled connection; closing it returns it to the pool. */
  public Connection connection() throws SQLException {
    return source.createConnection();
  }
}
