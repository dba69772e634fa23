package dev.rampart.e2e.kube;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Asks every pod of each watched service for its Akka cluster view about once a second (all pods,
 * Ready or not, terminating too: the ones that answer) and keeps what would show two clusters:
 *
 * <ul>
 *   <li>a split: two Up nodes neither of which knows the other (two clusters were formed);
 *   <li>leaders: Up nodes naming different leaders in one round. Gossip converges within a round or
 *       two when the leader leaves, so only a disagreement that lasts is one.
 * </ul>
 */
final class ClusterWatch implements AutoCloseable {
  private static final Duration PERIOD = Duration.ofSeconds(1);

  /** What was seen of one service. */
  static final class Seen {
    int rounds;
    int roundsWithTwoLeaders;
    int longestLeaderDisagreement;
    private int currentDisagreement;
    final List<String> splits = new ArrayList<>();
    final List<String> disagreements = new ArrayList<>();

    @Override
    public synchronized String toString() {
      return rounds
          + " rounds, "
          + roundsWithTwoLeaders
          + " with differing leaders (longest run "
          + longestLeaderDisagreement
          + "), "
          + splits.size()
          + " splits";
    }
  }

  private final ShopCluster cluster;
  private final Map<String, Seen> seen = new LinkedHashMap<>();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService asks = Executors.newCachedThreadPool();

  ClusterWatch(ShopCluster cluster, List<String> services) {
    this.cluster = cluster;
    services.forEach(s -> seen.put(s, new Seen()));
    clock.scheduleWithFixedDelay(this::round, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  Map<String, Seen> seen() {
    return seen;
  }

  private void round() {
    try {
      for (var entry : seen.entrySet()) {
        observe(entry.getKey(), entry.getValue(), views(entry.getKey()));
      }
    } catch (RuntimeException e) {
      // the API server may be busy for a moment; the next round asks again
    }
  }

  private List<AkkaClusterView> views(String service) {
    List<Pod> pods = cluster.pods(service);
    List<Future<Optional<AkkaClusterView>>> answers =
        pods.stream().map(p -> asks.submit(() -> AkkaClusterView.of(p))).toList();
    List<AkkaClusterView> views = new ArrayList<>();
    for (var answer : answers) {
      try {
        answer.get(5, TimeUnit.SECONDS).ifPresent(views::add);
      } catch (Exception e) {
        // no answer from that pod this round
      }
    }
    return views;
  }

  private static void observe(String service, Seen seen, List<AkkaClusterView> views) {
    List<AkkaClusterView> up = views.stream().filter(AkkaClusterView::selfUp).toList();
    Instant at = Instant.now();
    synchronized (seen) {
      seen.rounds++;
      for (int i = 0; i < up.size(); i++) {
        for (int j = i + 1; j < up.size(); j++) {
          AkkaClusterView a = up.get(i);
          AkkaClusterView b = up.get(j);
          if (!a.members().containsKey(b.self()) && !b.members().containsKey(a.self())) {
            seen.splits.add(
                at + " " + service + ": " + a + " and " + b + " do not know each other");
          }
        }
      }
      Set<String> leaders =
          up.stream()
              .map(AkkaClusterView::leader)
              .filter(l -> !l.isEmpty())
              .collect(Collectors.toSet());
      if (leaders.size() > 1) {
        seen.roundsWithTwoLeaders++;
        seen.currentDisagreement++;
        seen.longestLeaderDisagreement =
            Math.max(seen.longestLeaderDisagreement, seen.currentDisagreement);
        seen.disagreements.add(at + " " + service + ": leaders " + leaders + " in " + up);
      } else {
        seen.currentDisagreement = 0;
      }
    }
  }

  @Override
  public void close() {
    clock.shutdownNow();
    asks.shutdownNow();
  }
}
