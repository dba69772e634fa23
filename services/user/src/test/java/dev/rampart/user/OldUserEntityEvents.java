package dev.rampart.user;

import dev.rampart.platform.CborSerializable;
import java.util.Map;
import java.util.Set;

/**
 * The events and state the earlier {@code UserEntity} persisted, field for field (as of commit
 * 373c06c): serialized by the node's own Jackson CBOR serializer, under the old class names, they
 * are the rows an existing journal holds.
 */
final class OldUserEntityEvents {
  static final String MANIFEST = "dev.rampart.user.UserEntity$";

  record Address(String street, String city, String postalCode, String country)
      implements CborSerializable {}

  record Registered(String userId, String name, String email, Address address, long atEpochMillis)
      implements CborSerializable {}

  record AddressChanged(String userId, Address address, long atEpochMillis)
      implements CborSerializable {}

  record OrderRecorded(
      String eventId,
      String orderId,
      long orderSequenceNr,
      String status,
      long totalCents,
      long atEpochMillis)
      implements CborSerializable {}

  record ShipmentNoticeApplied(
      String noticeId,
      String shipmentId,
      String orderId,
      String status,
      String carrier,
      String trackingCode,
      long atEpochMillis)
      implements CborSerializable {}

  record OrderSummary(
      String orderId, String status, long totalCents, long orderSequenceNr, String shipmentStatus)
      implements CborSerializable {}

  record State(
      String userId,
      String name,
      String email,
      Address address,
      Map<String, OrderSummary> orders,
      Set<String> processedEventIds,
      Set<String> appliedNoticeIds)
      implements CborSerializable {}

  private OldUserEntityEvents() {}
}
