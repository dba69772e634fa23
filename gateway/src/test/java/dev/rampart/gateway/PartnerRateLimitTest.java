package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partners are rate-limited per subject like customers, in buckets of their own: a partner over its
 * limit gets 429 while a customer is still served. The carrier route's upstream need not answer:
 * the limit applies at the edge, before any route.
 */
class PartnerRateLimitTest {
  @Test
  void aPartnerOverItsLimitGets429AndCustomersAreNotLimitedWithIt() {
    try (GatewayHarness h =
        new GatewayHarness(
            c ->
                c.with(
                        x -> {
                          x.routes =
                              GatewayConfig.RouteTable.parse(
                                  GatewayConfig.DEFAULT_ROUTES + ",/api/carrier=shipping");
                          x.rateLimit = new GatewayConfig.RateLimit(0.01, 2);
                        })
                    .withEndpoints(
                        "shipping", List.of(new GatewayConfig.HostPort("127.0.0.1", 1))))) {
      String partner = h.keys.partnerToken("simulated-carrier", "carrier.events:write");
      String customerToken = h.keys.token("simulated-carrier"); // the same sub as the partner
      String body =
          "{\"eventId\":\"e-1\",\"status\":\"IN_TRANSIT\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}";
      for (int i = 0; i < 2; i++)
        assertThat(h.post("/api/carrier/v1/shipments/s-1/events", partner, body).statusCode())
            .isNotEqualTo(429);
      GatewayErrorPathsTest.problem(
          h.post("/api/carrier/v1/shipments/s-1/events", partner, body), 429, "rate-limited");
      assertThat(h.get("/api/users/simulated-carrier", customerToken).statusCode())
          .isNotEqualTo(429);
    }
  }
}
