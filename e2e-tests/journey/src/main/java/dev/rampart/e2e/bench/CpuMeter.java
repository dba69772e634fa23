package dev.rampart.e2e.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of groups of processes (a service's JVM, the broker, PostgreSQL's backends) over a
 * window: snapshot before, snapshot after. A group's pids are asked for at each snapshot, so a
 * PostgreSQL backend that connects during the window counts with all its CPU time.
 */
final class CpuMeter {
  private final Map<String, Supplier<List<Long>>> groups;

  CpuMeter(Map<String, Supplier<List<Long>>> groups) {
    this.groups = groups;
  }

  /** Per group, per pid: CPU milliseconds so far. */
  Map<String, Map<Long, Long>> snapshot() {
    Map<String, Map<Long, Long>> snapshot = new LinkedHashMap<>();
    groups.forEach(
        (name, pids) -> {
          Map<Long, Long> cpu = new LinkedHashMap<>();
          for (long pid : pids.get()) {
            long millis = ProcFs.cpuMillis(pid);
            if (millis >= 0) {
              cpu.put(pid, millis);
            }
          }
          snapshot.put(name, cpu);
        });
    return snapshot;
  }

  /** Per group: CPU milliseconds spent between the two snapshots. */
  static Map<String, Long> between(
      Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after) {
    Map<String, Long> spent = new LinkedHashMap<>();
    after.forEach(
        (name, cpu) -> {
          Map<Long, Long> earlier = before.getOrDefault(name, Map.of());
          long sum = 0;
          for (Map.Entry<Long, Long> e : cpu.entrySet()) {
            sum += Math.max(0, e.getValue() - earlier.getOrDefault(e.getKey(), 0L));
          }
          spent.put(name, sum);
        });
    return spent;
  }
}
