package dev.rampart.e2e.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop arrivals: the i-th request is due at start + i / rate whatever became of the earlier
 * ones, and latencies are measured from that due time, so a stalled system cannot slow its own load
 * down (no coordinated omission).
 */
final class OpenLoop {
  /** What to send: request number and its due time (System.nanoTime); must not block. */
  interface Arrival {
    void send(int index, long dueNanos);
  }

  private OpenLoop() {}

  /** Sends rate × duration arrivals; returns the achieved send rate per second. */
  static double run(int rate, Duration duration, Arrival arrival) {
    int total = (int) (rate * duration.toMillis() / 1000);
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      arrival.send(i, due);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return total / Math.max(seconds, 1e-9);
  }
}
