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
import java.util.List;
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
 *
 * <p>A call that fails fast with UNAVAILABLE is tried again on the next endpoint (the channel
 * balances round-robin over the Ready pods): that is a pod leaving or not yet gone from discovery,
 * and one pod must not fail a share of all requests. Every unary call the gateway makes is
 * idempotent (reads; register, change address and place order carry their ids), so a second try
 * cannot do a thing twice. A retry starts only within the first half of the deadline and runs with
 * half the deadline, so the whole call still ends within its deadline; the breaker sees the outcome
 * after the retries.
 */
final class Upstream<C extends AkkaGrpcClient> {
  final String name;
  private final GrpcClientSettings settings;
  private final BiFunction<GrpcClientSettings, ClassicActorSystemProvider, C> factory;
  private final ClassicActorSystemProvider system;
  private final CircuitBreaker breaker;
  private final Map<Duration, C> clients = new ConcurrentHashMap<>();

  /** Tries after the first, at most. */
  static final int MAX_RETRIES = 2;

  /** The pause before the first retry; the second waits twice as long. */
  static final Duration RETRY_BACKOFF = Duration.ofMillis(50);

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
    for (Duration deadline : List.of(config.deadlines().read(), config.deadlines().write())) {
      client(deadline);
      client(retryDeadline(deadline));
    }
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
    long start = System.nanoTime();
    return breaker
        .<T>callWithCircuitBreakerCS(
            () -> attempt(client(deadline), deadline, call, start, 0),
            (result, failure) -> failure.map(UpstreamErrors::isUpstreamFault).orElse(false))
        .whenComplete(
            (result, failure) -> {
              inFlight.decrementAndGet();
              metrics.upstreamCall(
                  name, UpstreamErrors.outcome(failure), System.nanoTime() - start);
            });
  }

  private <T> CompletionStage<T> attempt(
      C client, Duration deadline, Function<C, CompletionStage<T>> call, long start, int retries) {
    CompletionStage<T> result;
    try {
      result = call.apply(client);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .handle(
            (value, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(value);
              }
              Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
              if (retries < MAX_RETRIES
                  && UpstreamErrors.isUnavailable(failure)
                  && elapsed.compareTo(retryDeadline(deadline)) < 0) {
                metrics.upstreamRetry(name);
                // a moment for the channel to take a closed connection out of its rotation
                return akka.pattern.Patterns.after(
                    RETRY_BACKOFF.multipliedBy(retries + 1),
                    system.classicSystem().scheduler(),
                    system.classicSystem().dispatcher(),
                    () ->
                        attempt(
                            client(retryDeadline(deadline)), deadline, call, start, retries + 1));
              }
              return CompletableFuture.<T>failedFuture(failure);
            })
        .thenCompose(stage -> stage);
  }

  /** A retry's deadline, and the time within which a retry may start: half the call's. */
  static Duration retryDeadline(Duration deadline) {
    return deadline.dividedBy(2);
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
