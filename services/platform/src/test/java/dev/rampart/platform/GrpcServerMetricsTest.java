package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrpcServerMetricsTest {
  private final GrpcServerMetrics metrics =
      new GrpcServerMetrics(new SimpleMeterRegistry(), Set.of("rampart.order.v1.OrderService"));

  @Test
  void methodsOfKnownServicesOnlySoNoClientGrowsTheSeries() {
    assertThat(metrics.methodOf("/rampart.order.v1.OrderService/PlaceOrder"))
        .isEqualTo("rampart.order.v1.OrderService/PlaceOrder");
    assertThat(metrics.methodOf("/made.Up/Anything")).isEqualTo("unknown");
    assertThat(metrics.methodOf("/rampart.order.v1.OrderService")).isEqualTo("unknown");
    assertThat(metrics.methodOf("/")).isEqualTo("unknown");
    assertThat(metrics.methodOf("")).isEqualTo("unknown");
  }
}
