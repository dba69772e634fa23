package dev.rampart.testing.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** One test's own database on the real PostgreSQL server. */
public final class TestDatabase implements AutoCloseable {
  private final Postgres server;
  private final String name;

  TestDatabase(Postgres server, String name) {
    this.server = server;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return server.url(name);
  }

  public String user() {
    return server.user();
  }

  public String password() {
    return server.password();
  }

  public Connection connect() throws SQLException {
    return server.connect(name);
  }

  @Override
  public void close() {
    server.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
