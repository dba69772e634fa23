package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void burstThenSustainedRatePerClient() {
    TokenBuckets buckets = new TokenBuckets(new GatewayConfig.RateLimit(2, 3), 100, now::get);
    for (int i = 0; i < 3; i++) assertThat(buckets.tryAcquire("a")).isZero();
    long wait = buckets.tryAcquire("a");
    assertThat(wait).isBetween(1L, 500_000_000L); // 2 rps: next token within 0.5 s
    assertThat(buckets.tryAcquire("b")).isZero(); // separate client, separate bucket
    now.addAndGet(500_000_000L);
    assertThat(buckets.tryAcquire("a")).isZero();
    assertThat(buckets.tryAcquire("a")).isPositive();
    now.addAndGet(10_000_000_000L); // refills to the burst, not beyond
    for (int i = 0; i < 3; i++) assertThat(buckets.tryAcquire("a")).isZero();
    assertThat(buckets.tryAcquire("a")).isPositive();
  }

  @Test
  void idleClientsAreForgottenWhenTheMapIsFull() {
    TokenBuckets buckets = new TokenBuckets(new GatewayConfig.RateLimit(1, 1), 10, now::get);
    for (int i = 0; i < 50; i++) buckets.tryAcquire("client-" + i);
    assertThat(buckets.tryAcquire("client-49")).isPositive(); // still limited: recent
    now.addAndGet(5_000_000_000L);
    for (int i = 50; i < 70; i++) buckets.tryAcquire("client-" + i);
    assertThat(buckets.tryAcquire("client-0")).isZero();
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThatThrownBy(() -> new TokenBuckets(new GatewayConfig.RateLimit(0, 1), 10, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBuckets(new GatewayConfig.RateLimit(1, 0), 10, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
