package dev.rampart.carrier;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * What the carrier reports about one parcel, as a pure function of a seeded random: picked up, out
 * for delivery, delivered, each after a jittered pause; some events sent twice (same event id),
 * some sent after the next one (so a later status arrives first). The occurred-at times are those
 * of the parcel's real progress, whatever order the webhooks go out in.
 */
final class ParcelJourney {
  static final List<String> STATUSES = List.of("IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED");

  /** One webhook: send it {@code after} the booking. */
  record Webhook(String eventId, String status, Instant occurredAt, Duration after) {}

  static List<Webhook> plan(
      String trackingCode, Instant bookedAt, SimulatorSettings settings, Random random) {
    List<Webhook> sends = new ArrayList<>();
    long elapsed = 0;
    for (int i = 0; i < STATUSES.size(); i++) {
      elapsed += jitter(settings, random);
      sends.add(
          new Webhook(
              trackingCode + "-" + (i + 1),
              STATUSES.get(i),
              bookedAt.plusMillis(elapsed),
              Duration.ofMillis(elapsed)));
    }
    // out of order: this event goes out just after the next one
    for (int i = 0; i + 1 < sends.size(); i++) {
      if (random.nextDouble() < settings.reorderRate()) {
        Webhook late = sends.get(i);
        Webhook next = sends.get(i + 1);
        sends.set(i, withAfter(late, next.after().plusMillis(1 + random.nextInt(50))));
        i++; // an event is delayed past one other at most
      }
    }
    // duplicates: the same event again a little later
    List<Webhook> duplicates = new ArrayList<>();
    for (Webhook w : sends) {
      if (random.nextDouble() < settings.duplicateRate()) {
        duplicates.add(withAfter(w, w.after().plusMillis(jitter(settings, random) / 2 + 1)));
      }
    }
    sends.addAll(duplicates);
    sends.sort(Comparator.comparing(Webhook::after));
    return List.copyOf(sends);
  }

  private static Webhook withAfter(Webhook w, Duration after) {
    return new Webhook(w.eventId(), w.status(), w.occurredAt(), after);
  }

  private static long jitter(SimulatorSettings settings, Random random) {
    long min = settings.minDelay().toMillis();
    long span = settings.maxDelay().toMillis() - min;
    return min + (span <= 0 ? 0 : (long) (random.nextDouble() * span));
  }

  private ParcelJourney() {}
}
