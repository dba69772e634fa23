package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How many WebSocket/SSE streams the gateway holds open: each costs a connection at the gateway and
 * a gRPC stream on the User service for as long as it lives. Over either cap: 429.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayStreams {
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Open streams per token subject and gateway pod, 1 to 1000. Absent: the gateway's default,"
          + " 8.")
  public Integer perSubject;

  @Min(1)
  @Max(100000)
  @JsonPropertyDescription(
      "Open streams per gateway pod in all, 1 to 100000 (the pod accepts this many connections plus"
          + " 256 for requests). Absent: the gateway's default, 768.")
  public Integer perPod;

  public GatewayStreams() {}

  public GatewayStreams(Integer perSubject, Integer perPod) {
    this.perSubject = perSubject;
    this.perPod = perPod;
  }
}
