package dev.rampart.operator.reconciler;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.status.PodClusterView;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Akka membership of every system's service pods, polled on threads of its own (never a reconciler
 * thread) and cached per system. JOSDK compares each poll with the cache and triggers a reconcile
 * only when what some pod says has changed. The pods come from the pod informer's cache.
 */
final class ClusterMembershipSource
    extends PerResourcePollingEventSource<PodClusterView, MicroserviceSystem, String> {
  static final String NAME = "akka-membership";
  static final Duration PERIOD = Duration.ofSeconds(10);
  private static final int THREADS = 2;
  private static final Logger log = LoggerFactory.getLogger(ClusterMembershipSource.class);

  ClusterMembershipSource(
      EventSourceContext<MicroserviceSystem> context,
      InformerEventSource<Pod, MicroserviceSystem> pods,
      ClusterMembershipProbe probe) {
    super(
        PodClusterView.class,
        context,
        new PerResourcePollingConfigurationBuilder<PodClusterView, MicroserviceSystem, String>(
                new Fetcher(pods, probe), PERIOD)
            .withName(NAME)
            .withResourceIDMapper(PodClusterView::pod)
            .withExecutorService(
                Executors.newScheduledThreadPool(
                    THREADS,
                    r -> {
                      var thread = new Thread(r, NAME);
                      thread.setDaemon(true);
                      return thread;
                    }))
            .build());
  }

  /** The cached answers only: JOSDK would otherwise poll synchronously on a first read. */
  @Override
  public Set<PodClusterView> getSecondaryResources(MicroserviceSystem system) {
    return getSecondaryResources(ResourceID.fromResource(system));
  }

  private record Fetcher(
      InformerEventSource<Pod, MicroserviceSystem> pods, ClusterMembershipProbe probe)
      implements ResourceFetcher<PodClusterView, MicroserviceSystem> {

    /** Every running service pod of the system, asked in parallel. */
    @Override
    public Set<PodClusterView> fetchResources(MicroserviceSystem system) {
      try {
        List<CompletableFuture<Optional<PodClusterView>>> answers =
            pods.getSecondaryResources(system).stream()
                .filter(Fetcher::runningServicePod)
                .map(
                    p ->
                        probe.ask(
                            p.getMetadata().getName(),
                            p.getMetadata().getLabels().get(Labels.SERVICE),
                            p.getStatus().getPodIP()))
                .toList();
        return answers.stream()
            .map(CompletableFuture::join)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
      } catch (RuntimeException e) {
        // an exception would end this system's polling: say "unknown" and poll again
        log.warn("{}: polling Akka membership failed", ResourceID.fromResource(system), e);
        return Set.of();
      }
    }

    /** The first poll at once (the system was just seen), then every {@link #PERIOD}. */
    @Override
    public Optional<Duration> fetchDelay(
        Set<PodClusterView> lastFetched, MicroserviceSystem system) {
      return lastFetched == null ? Optional.of(Duration.ZERO) : Optional.empty();
    }

    private static boolean runningServicePod(Pod pod) {
      var labels = pod.getMetadata().getLabels();
      return labels != null
          && Labels.COMPONENT_SERVICE.equals(labels.get(Labels.COMPONENT))
          && labels.get(Labels.SERVICE) != null
          && pod.getMetadata().getDeletionTimestamp() == null
          && pod.getStatus() != null
          && "Running".equals(pod.getStatus().getPhase())
          && pod.getStatus().getPodIP() != null;
    }
  }
}
