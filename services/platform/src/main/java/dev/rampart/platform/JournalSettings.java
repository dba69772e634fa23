package dev.rampart.platform;

import dev.rampart.contract.Env;
import java.util.Map;

/**
 * Where the journal, snapshots and projection offsets live: PostgreSQL from {@link Env#JDBC_URL},
 * or, with no URL, an in-process H2 database (zero-setup local runs; one JVM = one node, so only
 * for single-node runs).
 */
public record JournalSettings(String url, String user, String password, Dialect dialect) {

  public enum Dialect {
    POSTGRES("slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "postgres-dialect"),
    H2("slick.jdbc.H2Profile$", "org.h2.Driver", "h2-dialect");

    public final String slickProfile;
    public final String driver;
    public final String projectionDialect;

    Dialect(String slickProfile, String driver, String projectionDialect) {
      this.slickProfile = slickProfile;
      this.driver = driver;
      this.projectionDialect = projectionDialect;
    }
  }

  static JournalSettings fromEnv(Map<String, String> env, String databaseName) {
    return PlatformSettings.value(env, Env.JDBC_URL)
        .map(
            url ->
                new JournalSettings(
                    url,
                    PlatformSettings.value(env, Env.JDBC_USER).orElse(""),
                    PlatformSettings.value(env, Env.JDBC_PASSWORD).orElse(""),
                    dialectOf(url)))
        .orElseGet(() -> inMemory(databaseName));
  }

  /** An H2 database that lives as long as the JVM. */
  public static JournalSettings inMemory(String databaseName) {
    // DB_CLOSE_DELAY=-1 keeps it across pool connections; DATABASE_TO_UPPER=false matches the
    // quoted DDL.
    return new JournalSettings(
        "jdbc:h2:mem:"
            + databaseName.replaceAll("[^A-Za-z0-9_-]", "_")
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false",
        "sa",
        "",
        Dialect.H2);
  }

  private static Dialect dialectOf(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return Dialect.POSTGRES;
    }
    if (url.startsWith("jdbc:h2:")) {
      return Dialect.H2;
    }
    throw new IllegalArgumentException(
        Env.JDBC_URL
            + ": only jdbc:postgresql: and jdbc:h2: URLs are supported, got '"
            + url
            + "'");
  }

  @Override
  public String toString() {
    return "JournalSettings[" + url + ", user=" + user + ", " + dialect + "]"; // never the password
  }
}
