package dev.rampart.e2e.bench;

import java.util.Arrays;

/** Latency samples in microseconds, and their percentiles (nearest rank). Thread-safe. */
final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  synchronized void add(long micros) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = micros;
  }

  synchronized int count() {
    return size;
  }

  /** The p-th percentile in milliseconds (0 when empty). */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1000.0;
  }

  double maxMillis() {
    return percentileMillis(100);
  }
}
