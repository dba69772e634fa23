package dev.rampart.user;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a snapshot of the earlier {@code UserEntity} (its whole state: profile, every order, every
 * applied event and notice id) as a {@link UserFeed.State}: the profile, and per order its highest
 * applied sequence number and noticed shipment statuses ({@link AppliedOrderEvents}, trimmed to its
 * bound by the next change). The orders themselves are not carried over: the {@link OrderHistory}
 * is projected from the journal, whose events the old entity kept.
 */
public final class LegacyUserEntityState extends JacksonMigration {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return UserFeed.State.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode old) {
    ObjectNode state = JSON.objectNode();
    state.set("userId", old.get("userId"));
    JsonNode name = old.get("name");
    if (name == null || name.isNull()) {
      state.putNull("profile");
    } else {
      ObjectNode profile = state.putObject("profile");
      profile.set("userId", old.get("userId"));
      profile.set("name", name);
      profile.set("email", old.get("email"));
      profile.set("address", old.get("address"));
    }
    ObjectNode applied = state.putObject("applied");
    applied.put("evictedUpTo", 0L);
    ObjectNode orders = applied.putObject("orders");
    JsonNode oldOrders = old.path("orders");
    for (Iterator<Map.Entry<String, JsonNode>> it = oldOrders.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> order = it.next();
      ObjectNode progress = orders.putObject(order.getKey());
      progress.put("sequenceNr", order.getValue().path("orderSequenceNr").asLong());
      progress.put("atEpochMillis", 0L);
      progress.putArray("shipmentStatuses");
    }
    // notice ids are "<shipment id>:<status>", and a shipment's id is its order's
    for (JsonNode noticeId : old.path("appliedNoticeIds")) {
      String id = noticeId.asText();
      int colon = id.lastIndexOf(':');
      JsonNode progress = colon < 0 ? null : orders.get(id.substring(0, colon));
      if (progress != null) {
        ((ArrayNode) progress.get("shipmentStatuses")).add(id.substring(colon + 1));
      }
    }
    return state;
  }
}
