package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The gateway's token bucket per client (the token's subject, else the remote address), per pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.burst >= self.requestsPerSecond",
    message =
        "spec.gateway.rateLimit: burst must be at least requestsPerSecond (the bucket must hold one"
            + " second of requests)")
public class GatewayRateLimit {
  @Required
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Sustained requests per second per client and gateway pod, at least 1 (the gateway's "
          + "default when rateLimit is absent: 50).")
  public Integer requestsPerSecond;

  @Required
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "Requests a client may send at once (the bucket size), at least 1 and at least "
          + "requestsPerSecond (the gateway's default when rateLimit is absent: 100).")
  public Integer burst;

  public GatewayRateLimit() {}

  public GatewayRateLimit(int requestsPerSecond, int burst) {
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
  }
}
