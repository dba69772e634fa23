package dev.rampart.gateway;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open streams per subject and per pod, each at most a fixed number. A slot is taken when the
 * stream is materialized (so an upgrade that never runs holds none) and given back when it ends,
 * however it ends. Routes ask {@link #full} first to answer 429; two upgrades racing past that
 * check cannot both get the last slot: the loser's stream ends at once.
 */
final class StreamSlots {
  private final int perSubject;
  private final int perPod;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  StreamSlots(int perSubject, int perPod) {
    this.perSubject = perSubject;
    this.perPod = perPod;
  }

  boolean full(String subject) {
    return open.getOrDefault(subject, 0) >= perSubject;
  }

  int total() {
    return total.get();
  }

  boolean podFull() {
    return total.get() >= perPod;
  }

  /** The source, holding one of the subject's slots while it runs (or empty if none is free). */
  <T> Source<T, NotUsed> guarded(String subject, Source<T, NotUsed> source) {
    return Source.<T, NotUsed>fromMaterializer(
            (mat, attributes) -> {
              if (!tryAcquire(subject)) return Source.empty();
              return source.watchTermination(
                  (notUsed, done) -> {
                    done.whenComplete((d, failure) -> release(subject));
                    return notUsed;
                  });
            })
        .mapMaterializedValue(f -> NotUsed.getInstance());
  }

  private boolean tryAcquire(String subject) {
    if (total.incrementAndGet() > perPod) {
      total.decrementAndGet();
      return false;
    }
    boolean[] acquired = {false};
    open.compute(
        subject,
        (k, n) -> {
          int current = n == null ? 0 : n;
          if (current >= perSubject) return n;
          acquired[0] = true;
          return current + 1;
        });
    if (!acquired[0]) total.decrementAndGet();
    return acquired[0];
  }

  private void release(String subject) {
    open.computeIfPresent(subject, (k, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }
}
