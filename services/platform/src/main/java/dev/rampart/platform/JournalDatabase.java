package dev.rampart.platform;

import akka.actor.ClassicActorSystemProvider;
import akka.persistence.jdbc.db.SlickExtension;
import akka.persistence.jdbc.db.SlickExtensionImpl;
import java.sql.Connection;
import java.sql.SQLException;

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

  /** A pooled connection; closing it returns it to the pool. */
  public Connection connection() throws SQLException {
    return source.createConnection();
  }
}
