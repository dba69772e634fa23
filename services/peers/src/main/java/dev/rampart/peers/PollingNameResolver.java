package dev.rampart.peers;

import akka.discovery.Lookup;
import akka.discovery.ServiceDiscovery;
import akka.discovery.ServiceDiscovery.ResolvedTarget;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * A gRPC name resolver that asks Akka Discovery again every {@code interval}, not only when a call
 * fails (Akka gRPC 2.3's resolver re-resolves only on failure, so pods added by a scale-up would
 * get no traffic from an existing client). Each answer replaces the channel's address list: the
 * round-robin balancer connects to new pods and lets removed ones drain. A failed lookup keeps the
 * last list (a blip of the API server must not empty a healthy channel).
 */
final class PollingNameResolver extends NameResolver {
  private final ServiceDiscovery discovery;
  private final Lookup lookup;
  private final int defaultPort;
  private final FiniteDuration resolveTimeout;
  private final Duration interval;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService scheduler;
  private Listener2 listener;
  private ScheduledFuture<?> polling;
  private boolean resolvedOnce;

  PollingNameResolver(
      ServiceDiscovery discovery,
      Lookup lookup,
      int defaultPort,
      Duration resolveTimeout,
      Duration interval,
      Args args) {
    this.discovery = discovery;
    this.lookup = lookup;
    this.defaultPort = defaultPort;
    this.resolveTimeout = FiniteDuration.create(resolveTimeout.toMillis(), TimeUnit.MILLISECONDS);
    this.interval = interval;
    this.syncContext = args.getSynchronizationContext();
    this.scheduler = args.getScheduledExecutorService();
  }

  @Override
  public String getServiceAuthority() {
    return lookup.serviceName();
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
    polling =
        scheduler.scheduleWithFixedDelay(
            () -> syncContext.execute(this::resolve),
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    if (polling != null) {
      polling.cancel(false);
    }
  }

  private void resolve() {
    FutureConverters.asJava(discovery.lookup(lookup, resolveTimeout))
        .whenComplete(
            (resolved, failure) ->
                syncContext.execute(
                    () -> {
                      if (failure == null && !resolved.addresses().isEmpty()) {
                        resolvedOnce = true;
                        listener.onResult(
                            ResolutionResult.newBuilder()
                                .setAddresses(groups(resolved.addresses()))
                                .build());
                      } else if (!resolvedOnce || failure == null) {
                        // no pod at all (or none yet): calls fail fast with UNAVAILABLE
                        listener.onError(
                            Status.UNAVAILABLE.withDescription(
                                failure == null
                                    ? "no ready pod for " + lookup.serviceName()
                                    : "discovery of "
                                        + lookup.serviceName()
                                        + " failed: "
                                        + failure));
                      }
                    }));
  }

  private List<EquivalentAddressGroup> groups(
      scala.collection.immutable.Seq<ResolvedTarget> targets) {
    return CollectionConverters.asJava(targets).stream()
        .map(
            t -> {
              int port = t.port().isDefined() ? (Integer) t.port().get() : defaultPort;
              var socket =
                  t.address().isDefined()
                      ? new InetSocketAddress(t.address().get(), port)
                      : new InetSocketAddress(t.host(), port);
              return new EquivalentAddressGroup(socket);
            })
        .toList();
  }

  /** Makes one resolver per channel; the channel's target is ignored, the lookup is fixed. */
  static final class Factory extends NameResolver.Factory {
    private final ServiceDiscovery discovery;
    private final Lookup lookup;
    private final int defaultPort;
    private final Duration resolveTimeout;
    private final Duration interval;

    Factory(
        ServiceDiscovery discovery,
        Lookup lookup,
        int defaultPort,
        Duration resolveTimeout,
        Duration interval) {
      this.discovery = discovery;
      this.lookup = lookup;
      this.defaultPort = defaultPort;
      this.resolveTimeout = resolveTimeout;
      this.interval = interval;
    }

    @Override
    public NameResolver newNameResolver(URI target, Args args) {
      return new PollingNameResolver(
          discovery, lookup, defaultPort, resolveTimeout, interval, args);
    }

    @Override
    public String getDefaultScheme() {
      return "rampart-peer";
    }
  }
}
