package dev.rampart.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client key (caller id, or remote address for anonymous requests). A request
 * takes a token; an empty bucket answers how long until the next one. The map is bounded: when it
 * grows past {@code maxClients}, buckets that have refilled completely (idle clients) are dropped.
 */
final class TokenBuckets {
  private final double tokensPerNano;
  private final double burst;
  private final int maxClients;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(GatewayConfig.RateLimit limit, int maxClients, LongSupplier nanoClock) {
    if (limit.requestsPerSecond() <= 0 || limit.burst() < 1)
      throw new IllegalArgumentException(
          "rate limit must be > 0 rps with burst >= 1, got " + limit);
    this.tokensPerNano = limit.requestsPerSecond() / 1e9;
    this.burst = limit.burst();
    this.maxClients = maxClients;
    this.clock = nanoClock;
  }

  /**
   * 0 when the request may go ahead, otherwise the nanoseconds until the client has a token again.
   */
  long tryAcquire(String clientKey) {
    long now = clock.getAsLong();
    if (buckets.size() > maxClients) buckets.values().removeIf(b -> b.isFull(now));
    return buckets.computeIfAbsent(clientKey, k -> new Bucket(burst, now)).take(now);
  }

  private final class Bucket {
    private double tokens;
    private long updatedAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedAt = now;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - updatedAt) * tokensPerNano);
      updatedAt = now;
    }
  }
}
