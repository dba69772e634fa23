package dev.rampart.user;

import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.rampart.platform.AppliedOffset;

/**
 * How far User has durably applied Shipping's shipment notices (an offset in Shipping's outbox).
 * User's Hello on the exchange stream asks Shipping to resume after it; notices applied but not yet
 * recorded here come again and {@link UserFeed} ignores them. One per cluster, under the fixed id
 * {@link #ID}.
 */
final class ShipmentNoticeInbox {
  static final EntityTypeKey<AppliedOffset.Command> TYPE_KEY =
      AppliedOffset.typeKey("ShipmentNoticeInbox");
  static final String ID = "shipping";

  private ShipmentNoticeInbox() {}
}
