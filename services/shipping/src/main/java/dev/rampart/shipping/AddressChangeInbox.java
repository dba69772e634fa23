package dev.rampart.shipping;

import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.rampart.platform.AppliedOffset;

/**
 * How far Shipping has durably applied User's address changes (an offset in User's outbox). The
 * exchange stream's Hello asks User to resume after it; changes applied but not yet recorded here
 * come again and {@link CustomerAddressEntity} ignores them. One per cluster, under the fixed id
 * {@link #ID}.
 */
final class AddressChangeInbox {
  static final EntityTypeKey<AppliedOffset.Command> TYPE_KEY =
      AppliedOffset.typeKey("AddressChangeInbox");
  static final String ID = "user";

  private AddressChangeInbox() {}
}
