package dev.rampart.user;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Reads the events the earlier {@code UserEntity} wrote (manifest {@code
 * dev.rampart.user.UserEntity$<Event>}) as {@link UserFeed}'s events of the same name and fields:
 * registered for each old class name in {@code akka.serialization.jackson.migrations}
 * (reference.conf). The journal itself is not rewritten.
 */
public final class LegacyUserEntityEvents extends JacksonMigration {
  static final String OLD = "dev.rampart.user.UserEntity$";

  static final Map<String, Class<?>> RENAMED =
      Map.of(
          OLD + "Registered", UserFeed.Registered.class,
          OLD + "AddressChanged", UserFeed.AddressChanged.class,
          OLD + "OrderRecorded", UserFeed.OrderRecorded.class,
          OLD + "ShipmentNoticeApplied", UserFeed.ShipmentNoticeApplied.class);

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    Class<?> renamed = RENAMED.get(className);
    return renamed == null ? className : renamed.getName();
  }

  /** Same fields; OrderRecorded's new orderEventAtMillis is absent, read as 0. */
  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
