package dev.rampart.e2e.kube;

import dev.rampart.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the services wrote to their journals (the shop's one PostgreSQL database, Akka Persistence
 * JDBC's {@code event_journal}): the ground truth behind what the gateway answers.
 */
final class ShopJournal {
  private final TestDatabase database;

  ShopJournal(TestDatabase database) {
    this.database = database;
  }

  /** The ids of the given orders that have an Order entity journal. */
  Set<String> ordersInJournal(Collection<String> orderIds) {
    Set<String> found = new HashSet<>();
    query(
        "SELECT DISTINCT persistence_id FROM event_journal WHERE persistence_id = ANY (?)",
        ids("Order|", orderIds),
        rs -> found.add(rs.getString(1).substring("Order|".length())));
    return found;
  }

  /** How many events of the given type each shipment (id = order id) has; absent: none. */
  Map<String, Integer> shipmentEvents(Collection<String> shipmentIds, String eventType) {
    Map<String, Integer> counts = new HashMap<>();
    query(
        "SELECT persistence_id, count(*) FROM event_journal WHERE persistence_id = ANY (?)"
            + " AND event_ser_manifest LIKE '%"
            + eventType
            + "%' GROUP BY persistence_id",
        ids("Shipment|", shipmentIds),
        rs -> counts.put(rs.getString(1).substring("Shipment|".length()), rs.getInt(2)));
    return counts;
  }

  private static String[] ids(String prefix, Collection<String> ids) {
    return ids.stream().map(id -> prefix + id).toArray(String[]::new);
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, String[] ids, Row row) {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("varchar", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
