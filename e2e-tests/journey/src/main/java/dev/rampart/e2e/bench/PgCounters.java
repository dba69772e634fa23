package dev.rampart.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.testing.postgres.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's own counters of the services' databases ({@code pg_stat_database}): transactions and
 * rows per order tell which database work an order costs (journal writes, offset saves, polls)
 * without a statement log. The counters are flushed by the backends about once a second.
 */
final class PgCounters {
  static final List<String> COLUMNS =
      List.of(
          "xact_commit",
          "xact_rollback",
          "tup_returned",
          "tup_fetched",
          "tup_inserted",
          "tup_updated",
          "tup_deleted");

  private PgCounters() {}

  /** database name → column → value. */
  static Map<String, Map<String, Long>> of(Connection pg, List<TestDatabase> databases) {
    String sql =
        "SELECT datname, "
            + String.join(", ", COLUMNS)
            + " FROM pg_stat_database WHERE datname = ANY(?)";
    Map<String, Map<String, Long>> all = new LinkedHashMap<>();
    try (PreparedStatement query = pg.prepareStatement(sql)) {
      Array names = pg.createArrayOf("text", databases.stream().map(TestDatabase::name).toArray());
      query.setArray(1, names);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Map<String, Long> values = new LinkedHashMap<>();
          for (String column : COLUMNS) {
            values.put(column, rows.getLong(column));
          }
          all.put(rows.getString("datname"), values);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_database", e);
    }
    return all;
  }

  static ObjectNode perOrder(
      Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after, long orders) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    after.forEach(
        (db, values) -> {
          ObjectNode n = node.putObject(db);
          values.forEach(
              (column, value) -> {
                long was = before.getOrDefault(db, Map.of()).getOrDefault(column, value);
                n.put(column, PipelineBenchmark.round2((double) (value - was) / orders));
              });
        });
    return node;
  }
}
