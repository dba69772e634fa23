package dev.rampart.e2e.bench;

import dev.rampart.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL floor: insert of one event row (akka-persistence-jdbc's event_journal shape) and
 * commit, on a small pool of connections as a journal has; latency is due → committed.
 */
final class JdbcFloor implements AutoCloseable {
  static final int CONNECTIONS = 8;
  private static final String INSERT =
      "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
          + " event_ser_id, event_ser_manifest, event_payload) VALUES (?, ?, 'bench', ?, 1, 'E',"
          + " ?)";
  private final List<Connection> connections = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
  private final ThreadLocal<Connection> connection;
  private final AtomicLong sequence = new AtomicLong();
  private final byte[] payload = new byte[200];

  JdbcFloor(TestDatabase db) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS event_journal (ordering BIGSERIAL, persistence_id"
              + " VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT"
              + " FALSE NOT NULL, writer VARCHAR(255) NOT NULL, write_timestamp BIGINT,"
              + " adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL, event_ser_manifest"
              + " VARCHAR(255) NOT NULL, event_payload BYTEA NOT NULL, PRIMARY KEY(persistence_id,"
              + " sequence_number))");
      s.execute(
          "CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON"
              + " event_journal(ordering)");
    }
    this.connection =
        ThreadLocal.withInitial(
            () -> {
              try {
                Connection c = db.connect();
                c.setAutoCommit(false);
                synchronized (connections) {
                  connections.add(c);
                }
                return c;
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  FloorResult run(int rate, Duration duration) throws InterruptedException {
    Latencies latencies = new Latencies();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger outstanding = new AtomicInteger();
    OpenLoop.run(
        rate,
        duration,
        (i, due) -> {
          sent.incrementAndGet();
          outstanding.incrementAndGet();
          pool.execute(
              () -> {
                try {
                  insert();
                  latencies.add((System.nanoTime() - due) / 1000);
                  committed.incrementAndGet();
                } catch (SQLException e) {
                  // counted as not completed
                } finally {
                  outstanding.decrementAndGet();
                }
              });
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return FloorResult.of(sent.get(), committed.get(), latencies);
  }

  private void insert() throws SQLException {
    Connection c = connection.get();
    long seq = sequence.incrementAndGet();
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, "bench|" + (seq % 1000));
      insert.setLong(2, seq);
      insert.setLong(3, System.currentTimeMillis());
      insert.setBytes(4, payload);
      insert.executeUpdate();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    synchronized (connections) {
      for (Connection c : connections) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
    }
  }
}
