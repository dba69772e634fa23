package dev.rampart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL server, a fresh database per test. */
class PostgresSmokeTest {

  @Test
  void writesAndReadsInItsOwnDatabase() throws Exception {
    try (TestDatabase db = Postgres.shared().createDatabase("smoke");
        Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE orders (id text PRIMARY KEY, total bigint NOT NULL)");
      statement.execute("INSERT INTO orders VALUES ('o-1', 4200)");
      try (ResultSet rs =
          statement.executeQuery("SELECT total, current_database(), version() FROM orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(4200);
        assertThat(rs.getString(2)).isEqualTo(db.name());
        assertThat(rs.getString(3)).startsWith("PostgreSQL");
      }
    }
  }
}
