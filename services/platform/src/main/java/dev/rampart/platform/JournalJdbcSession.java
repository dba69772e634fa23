package dev.rampart.platform;

import akka.actor.ClassicActorSystemProvider;
import akka.japi.function.Function;
import akka.projection.jdbc.JdbcSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * A JDBC projection's transaction on a connection of the journal's pool: the projection's handler
 * and its offset write commit together.
 */
public final class JournalJdbcSession implements JdbcSession {
  private final Connection connection;

  public JournalJdbcSession(JournalDatabase database) {
    try {
      this.connection = database.connection();
      this.connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new IllegalStateException("journal database unavailable: " + e.getMessage(), e);
    }
  }

  /** The session factory JdbcProjection wants. */
  public static Supplier<JournalJdbcSession> factory(ClassicActorSystemProvider system) {
    JournalDatabase database = JournalDatabase.of(system);
    return () -> new JournalJdbcSession(database);
  }

  @Override
  public <Result> Result withConnection(Function<Connection, Result> func) throws Exception {
    return func.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
