package dev.rampart.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL server the test command starts (e2e-tests/bin/postgres-up: Debian package,
 * role "rampart" with CREATEDB). Each test gets a fresh database of its own.
 */
public final class Postgres {
  public static final String START_COMMAND = "bash e2e-tests/bin/postgres-up";
  private static Postgres shared;

  private final String host;
  private final int port;
  private final String user;
  private final String password;

  private Postgres(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /**
   * The server at RAMPART_PG_HOST/PORT (default 127.0.0.1:5432) as RAMPART_PG_USER (default
   * rampart).
   */
  public static synchronized Postgres shared() {
    if (shared == null) {
      var env = System.getenv();
      Postgres candidate =
          new Postgres(
              env.getOrDefault("RAMPART_PG_HOST", "127.0.0.1"),
              Integer.parseInt(env.getOrDefault("RAMPART_PG_PORT", "5432")),
              env.getOrDefault("RAMPART_PG_USER", "rampart"),
              env.getOrDefault("RAMPART_PG_PASSWORD", "rampart"));
      try (Connection ignored = candidate.connect("postgres")) {
        shared = candidate;
      } catch (SQLException e) {
        throw new IllegalStateException(
            "PostgreSQL is not reachable at "
                + candidate.url("postgres")
                + " as "
                + candidate.user
                + " ("
                + e.getMessage()
                + "). Start it with: "
                + START_COMMAND,
            e);
      }
    }
    return shared;
  }

  /**
   * A new, empty database named {@code <prefix>_<random>}; dropped by {@link TestDatabase#close()}.
   */
  public TestDatabase createDatabase(String prefix) {
    String name =
        (prefix.replaceAll("[^A-Za-z0-9_]", "_")
                + "_"
                + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    execute("CREATE DATABASE " + name);
    return new TestDatabase(this, name);
  }

  public String url(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), user, password);
  }

  void execute(String sql) {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL: " + sql + " failed: " + e.getMessage(), e);
    }
  }
}
