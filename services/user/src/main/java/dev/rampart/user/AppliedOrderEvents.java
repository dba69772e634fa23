package dev.rampart.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.rampart.platform.CborSerializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user's feed has applied of its at-least-once inputs, bounded: for each of the {@code
 * maxOrders} most recently changed orders the highest sequence number of its order events and the
 * shipment statuses noticed; an order event at or below it is a redelivery (or a stale event) and
 * changes nothing. An order that falls out of the bound leaves only its last event's time behind,
 * in {@code evictedUpTo}: an event of an order not remembered that is not newer than that is an
 * evicted order's redelivery (e.g. a replay of the topic from offset 0). So the memory is at most
 * {@code maxOrders} entries and one number, however many orders the user places; the price is that
 * a never-seen order whose first event is older than the last change of the order evicted last (a
 * record delayed by longer than the user's {@code maxOrders} latest orders took) is taken as a
 * duplicate.
 *
 * <p>Entries are in least-recently-changed order (a change moves its order to the end).
 */
public record AppliedOrderEvents(Map<String, OrderProgress> orders, long evictedUpTo)
    implements CborSerializable {

  /** One remembered order: its highest applied sequence number, that event's time, notices. */
  public record OrderProgress(long sequenceNr, long atEpochMillis, List<String> shipmentStatuses)
      implements CborSerializable {
    @JsonCreator
    public OrderProgress {
      shipmentStatuses = shipmentStatuses == null ? List.of() : List.copyOf(shipmentStatuses);
    }
  }

  @JsonCreator
  public AppliedOrderEvents {
    orders = orders == null ? Map.of() : orders;
  }

  static final AppliedOrderEvents NONE = new AppliedOrderEvents(Map.of(), 0);

  /** True if the order event was applied before, or is older than what was applied. */
  boolean hasApplied(String orderId, long sequenceNr, long atEpochMillis) {
    OrderProgress known = orders.get(orderId);
    if (known != null) {
      return sequenceNr <= known.sequenceNr();
    }
    return atEpochMillis > 0 && atEpochMillis <= evictedUpTo;
  }

  boolean hasNoticed(String orderId, String shipmentStatus) {
    OrderProgress known = orders.get(orderId);
    return known != null && known.shipmentStatuses().contains(shipmentStatus);
  }

  AppliedOrderEvents withOrderEvent(
      String orderId, long sequenceNr, long atEpochMillis, int maxOrders) {
    OrderProgress known = orders.get(orderId);
    List<String> statuses = known == null ? List.of() : known.shipmentStatuses();
    if (known != null && known.sequenceNr() > sequenceNr) {
      return this;
    }
    return with(orderId, new OrderProgress(sequenceNr, atEpochMillis, statuses), maxOrders);
  }

  AppliedOrderEvents withNotice(String orderId, String shipmentStatus, int maxOrders) {
    OrderProgress known = orders.getOrDefault(orderId, new OrderProgress(0, 0, List.of()));
    List<String> statuses = new ArrayList<>(known.shipmentStatuses());
    if (!statuses.contains(shipmentStatus)) {
      statuses.add(shipmentStatus);
    }
    return with(
        orderId, new OrderProgress(known.sequenceNr(), known.atEpochMillis(), statuses), maxOrders);
  }

  private AppliedOrderEvents with(String orderId, OrderProgress progress, int maxOrders) {
    LinkedHashMap<String, OrderProgress> next = new LinkedHashMap<>(orders);
    next.remove(orderId); // re-inserted at the end: the most recently changed
    next.put(orderId, progress);
    long evicted = evictedUpTo;
    Iterator<OrderProgress> eldest = next.values().iterator();
    while (next.size() > maxOrders && eldest.hasNext()) {
      evicted = Math.max(evicted, eldest.next().atEpochMillis());
      eldest.remove();
    }
    return new AppliedOrderEvents(next, evicted);
  }
}
