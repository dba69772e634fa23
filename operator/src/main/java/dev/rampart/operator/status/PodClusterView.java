package dev.rampart.operator.status;

import java.util.List;

/**
 * What one pod of a service said about its Akka cluster ({@code GET /cluster/members}): the leader
 * it sees, the oldest member (null if not reported), the members it sees Up (sorted node addresses)
 * and how many it finds unreachable. Two pods of one cluster agree on the leader and the members.
 */
public record PodClusterView(
    String pod,
    String service,
    String leader,
    String oldest,
    List<String> upMembers,
    int unreachable) {
  public PodClusterView {
    upMembers = List.copyOf(upMembers);
  }

  /** The cluster as this pod sees it: pods that see the same one are in one cluster. */
  record Cluster(String leader, List<String> upMembers) {}

  Cluster cluster() {
    return new Cluster(leader, upMembers);
  }
}
