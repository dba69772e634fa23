package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Env;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A User node on real PostgreSQL whose journal table disappears: Register must fail with
 * UNAVAILABLE (no phantom success), nothing is half-registered, and once the journal is back the
 * same call succeeds.
 */
class UserJournalFailureTest {
  static TestDatabase db;
  static UserCluster cluster;

  @BeforeAll
  static void start() {
    db = Postgres.shared().createDatabase("user_journal_failure");
    cluster =
        UserCluster.start(
            1,
            Map.of(
                Env.JDBC_URL,
                db.jdbcUrl(),
                Env.JDBC_USER,
                db.user(),
                Env.JDBC_PASSWORD,
                db.password()),
            ConfigFactory.parseString("rampart.user.ask-timeout = 3s"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    db.close();
  }

  static void sql(String statement) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  static RegisterRequest register(String id) {
    return RegisterRequest.newBuilder()
        .setUserId(id)
        .setName("Una")
        .setEmail(id + "@example.com")
        .setAddress(
            Address.newBuilder()
                .setStreet("1 Main St")
                .setCity("Berlin")
                .setPostalCode("10115")
                .setCountry("DE"))
        .build();
  }

  @Test
  void aJournalWriteFailureIsAnErrorForTheCallerNotAPhantomSuccess() throws Exception {
    UserServiceClient client = cluster.node(0).client();
    sql("ALTER TABLE event_journal RENAME TO event_journal_away");
    try {
      Throwable failure = catchThrowable(() -> UserCluster.join(client.register(register("una"))));
      assertThat(failure).hasRootCauseInstanceOf(StatusRuntimeException.class);
      Throwable root = failure;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertThat(((StatusRuntimeException) root).getStatus().getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      sql("ALTER TABLE event_journal_away RENAME TO event_journal");
    }
    // Nothing was registered: not one journal row for the user
    assertThat(journalRows("una")).isZero();
    // once the journal is back the same request succeeds.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              try {
                return UserCluster.join(client.register(register("una"))).getUserId().equals("una");
              } catch (RuntimeException e) {
                return false;
              }
            });
    assertThat(
            UserCluster.join(client.getUser(GetUserRequest.newBuilder().setUserId("una").build()))
                .getName())
        .isEqualTo("Una");
    assertThat(journalRows("una")).as("one Registered event").isEqualTo(1);
  }

  /** Rows of the user's entity in the real journal table. */
  static long journalRows(String userId) throws Exception {
    try (Connection c = db.connect();
        var s = c.prepareStatement("SELECT count(*) FROM event_journal WHERE persistence_id = ?")) {
      s.setString(1, UserFeed.persistenceId(userId).id());
      try (var rows = s.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
