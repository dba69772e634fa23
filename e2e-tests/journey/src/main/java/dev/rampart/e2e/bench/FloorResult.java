package dev.rampart.e2e.bench;

/** One round of a floor: how many were sent and completed, and their latencies. */
record FloorResult(int sent, int completed, double p50Millis, double p99Millis, double maxMillis) {
  static FloorResult of(int sent, int completed, Latencies latencies) {
    return new FloorResult(
        sent,
        completed,
        latencies.percentileMillis(50),
        latencies.percentileMillis(99),
        latencies.maxMillis());
  }
}
