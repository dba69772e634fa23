package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Akka cluster members of one service, as one of its nodes sees them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterMembership {
  @JsonPropertyDescription("Members with status Up.")
  public Integer up;

  @JsonPropertyDescription("Members that some node cannot reach.")
  public Integer unreachable;

  public ClusterMembership() {}

  public ClusterMembership(int up, int unreachable) {
    this.up = up;
    this.unreachable = unreachable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterMembership m
        && Objects.equals(up, m.up)
        && Objects.equals(unreachable, m.unreachable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(up, unreachable);
  }
}
