package dev.rampart.user;

import dev.rampart.proto.user.v1.AddressChanged;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.OrderRecorded;
import dev.rampart.proto.user.v1.ShipmentNotice;
import java.util.Optional;

/**
 * The notification of one persisted {@link UserFeed} event: the same for the live publish and for a
 * replay from the journal, so a client dedupes on the id ({@code <userId>:<sequenceNr>}).
 */
final class Notifications {

  /** Empty for events nobody is notified of (registration). */
  static Optional<Notification> of(String userId, long sequenceNr, UserFeed.Event event) {
    Notification.Builder n =
        Notification.newBuilder().setNotificationId(id(userId, sequenceNr)).setUserId(userId);
    if (event instanceof UserFeed.AddressChanged e) {
      return Optional.of(
          n.setAtEpochMillis(e.atEpochMillis())
              .setAddressChanged(
                  AddressChanged.newBuilder().setAddress(UserProtocol.toProto(e.address())))
              .build());
    }
    if (event instanceof UserFeed.OrderRecorded e) {
      return Optional.of(
          n.setAtEpochMillis(e.atEpochMillis())
              .setOrderRecorded(
                  OrderRecorded.newBuilder().setOrderId(e.orderId()).setStatus(e.status()))
              .build());
    }
    if (event instanceof UserFeed.ShipmentNoticeApplied e) {
      return Optional.of(
          n.setAtEpochMillis(e.atEpochMillis())
              .setShipmentNotice(
                  ShipmentNotice.newBuilder()
                      .setShipmentId(e.shipmentId())
                      .setOrderId(e.orderId())
                      .setStatus(e.status())
                      .setCarrier(e.carrier())
                      .setTrackingCode(e.trackingCode()))
              .build());
    }
    return Optional.empty();
  }

  static String id(String userId, long sequenceNr) {
    return userId + ":" + sequenceNr;
  }

  /** The sequence number of one of {@code userId}'s notification ids, empty if it is not one. */
  static Optional<Long> sequenceNr(String userId, String notificationId) {
    String prefix = userId + ":";
    if (!notificationId.startsWith(prefix)) {
      return Optional.empty();
    }
    String digits = notificationId.substring(prefix.length());
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(digits));
  }

  private Notifications() {}
}
