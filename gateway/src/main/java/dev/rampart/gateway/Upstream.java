package dev.rampart.gateway;

import akka.actor.ClassicActorSystemProvider;
import akka.discovery.Discovery;
import akka.grpc.GrpcClientSettings;
import akka.grpc.javadsl.AkkaGrpcClient;
import akka.pattern.CircuitBreaker;
import dev.rampart.contract.Env;
import dev.rampart.contract.Ports;
import dev.rampart.peers.PeerClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One upstream service as the gateway sees it: gRPC clients (one per deadline, since Akka gRPC
 * fixes the deadline per channel; one without a deadline for streams), a circuit breaker that opens
 * after consecutive upstream faults and then answers 503 at once instead of piling up calls, and a
 * bulkhead that answers 503 at once when too many calls are already waiting on the upstream.
 */
final class Upstream<C extends AkkaGrpcClient> {
  final String name;
  private final GrpcClientSettings settings;
  private final BiFunction<GrpcClientSettings, ClassicActorSystemProvider, C> factory;
  private final ClassicActorSystemProvider system;
  private final CircuitBreaker breaker;
  private final Map<Duration, C> clients = new ConcurrentHashMap<>();
  private final C streamingClient;
  private final GatewayMetrics metrics;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  Upstream(
      String name,
      GatewayConfig config,
      ClassicActorSystemProvider system,
      BiFunction<GrpcClientSettings, ClassicActorSystemProvider, C> factory,
      GatewayMetrics metrics) {
    this.name = name;
    this.system = system;
    this.factory = factory;
    this.metrics = metrics;
    this.maxInFlight = config.breaker().maxInFlight();
    this.settings = settingsFor(name, config, system);
    this.streamingClient = factory.apply(settings, system);
    // the per-route clients exist from the start, so no request pays for creating a channel
    client(config.deadlines().read());
    client(config.deadlines().write());
    GatewayConfig.Breaker b = config.breaker();
    // The breaker's own timeout backs up the gRPC deadline (which normally fires first).
    this.breaker =
        CircuitBreaker.create(
            system.classicSystem().scheduler(),
            b.maxFailures(),
            config.deadlines().longest().plusSeconds(1),
            b.resetTimeout());
    metrics.breakerState(name, breaker);
  }

  /** Calls the upstream through the circuit breaker with the given deadline. */
  <T> CompletionStage<T> call(Duration deadline, Function<C, CompletionStage<T>> call) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      metrics.upstreamCall(name, "OVERLOADED", 0);
      return CompletableFuture.failedFuture(
          Problem.of(
                  503,
                  "upstream-overloaded",
                  "Upstream overloaded",
                  "too many calls to " + name + " are in flight; retry later")
              .withHeader(akka.http.javadsl.model.headers.RawHeader.create("Retry-After", "1"))
              .asException());
    }
    C client = client(deadline);
    long start = System.nanoTime();
    return breaker
        .<T>callWithCircuitBreakerCS(
            () -> {
              try {
                return call.apply(client);
              } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
              }
            },
            (result, failure) -> failure.map(UpstreamErrors::isUpstreamFault).orElse(false))
        .whenComplete(
            (result, failure) -> {
              inFlight.decrementAndGet();
              metrics.upstreamCall(
                  name, UpstreamErrors.outcome(failure), System.nanoTime() - start);
            });
  }

  private C client(Duration deadline) {
    return clients.computeIfAbsent(deadline, d -> factory.apply(settings.withDeadline(d), system));
  }

  /** The client for server streams (no deadline); callers check {@link #isOpen()} first. */
  C streaming() {
    return streamingClient;
  }

  boolean isOpen() {
    return breaker.isOpen();
  }

  CompletionStage<Void> close() {
    CompletableFuture<?>[] all =
        clients.values().stream()
            .map(c -> c.close().toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all)
        .thenCompose(x -> streamingClient.close())
        .thenApply(d -> null);
  }

  /**
   * Static endpoints ({@link Env#PEER_ENDPOINTS}) win; otherwise the discovery name ({@link
   * Env#PEERS}) is looked up through the Kubernetes API, port named {@link Ports#GRPC_NAME}: Ready
   * pods only, listed again every {@code rampart.peers.re-resolve-interval}. Calls balance
   * round-robin.
   */
  static GrpcClientSettings settingsFor(
      String service, GatewayConfig config, ClassicActorSystemProvider system) {
    GrpcClientSettings s;
    if (config.peerEndpoints().containsKey(service)) {
      s =
          GrpcClientSettings.usingServiceDiscovery(
              service,
              Discovery.get(system.classicSystem()).loadServiceDiscovery("config"),
              system);
    } else if (config.peerDiscoveryNames().containsKey(service)) {
      // Ready pods only, re-resolved every few seconds (new pods get calls soon after a scale-up)
      s =
          PeerClients.readyPods(
              config.peerDiscoveryNames().get(service), Ports.GRPC_NAME, Ports.GRPC, system);
    } else {
      throw new IllegalArgumentException(
          "no endpoint for upstream '"
              + service
              + "': set "
              + Env.PEER_ENDPOINTS
              + " or "
              + Env.PEERS);
    }
    return s.withTls(false)
        .withLoadBalancingPolicy("round_robin")
        .withDefaultPort(Ports.GRPC)
        .withConnectionAttempts(-1);
  }
}
