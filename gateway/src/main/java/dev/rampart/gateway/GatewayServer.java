package dev.rampart.gateway;

import akka.Done;
import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.pattern.Patterns;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.HttpApi;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.UserServiceClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its own ActorSystem, the upstream clients, and the HTTP server bound to {@code
 * httpHost:httpPort} (port 0 picks a free one). Ready from binding until shutdown starts; on
 * SIGTERM it keeps serving, not ready, for {@code rampart.gateway.shutdown-drain} before it
 * unbinds.
 */
public final class GatewayServer implements AutoCloseable {
  static final int MAX_RATE_LIMITED_CLIENTS = 100_000;
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  // a WebSocket's close handshake waits at most 3 s for the client (ClosingWebSocket)
  static final Duration STREAMS_END_TIMEOUT = Duration.ofSeconds(4);
  private final ActorSystem system;
  private final ServerBinding binding;
  private final Optional<ServerBinding> egress;

  private GatewayServer(ActorSystem system, ServerBinding binding, Optional<ServerBinding> egress) {
    this.system = system;
    this.binding = binding;
    this.egress = egress;
  }

  public static GatewayServer start(GatewayConfig config) {
    return start(config, Optional.empty());
  }

  /**
   * Also serves on {@code localhost} of the pod ({@link dev.rampart.contract.Localhost}), at the
   * same port, where {@code kubectl port-forward} connects.
   */
  public static GatewayServer start(GatewayConfig config, Optional<String> localhost) {
    return start(config, localhost, ConfigFactory.empty());
  }

  /** {@code overrides}: Akka settings over {@link AkkaSettings} (tests shorten timeouts). */
  static GatewayServer start(GatewayConfig config, Optional<String> localhost, Config overrides) {
    Config settings = overrides.withFallback(AkkaSettings.of(config));
    // fail fast on a bad JWKS before starting anything
    JwtAuthenticator jwt =
        new JwtAuthenticator(
            config.jwt(),
            config.partners(),
            settings.getDuration("rampart.gateway.jwks-check-interval").toMillis());
    TokenBuckets rateLimit =
        new TokenBuckets(config.rateLimit(), MAX_RATE_LIMITED_CLIENTS, System::nanoTime);
    ActorSystem system = ActorSystem.create("gateway", settings);
    try {
      GatewayMetrics metrics = new GatewayMetrics();
      Optional<Upstream<UserServiceClient>> users =
          config
              .routes()
              .of(HttpApi.USERS)
              .map(
                  r ->
                      new Upstream<>(
                          r.service(), config, system, UserServiceClient::create, metrics));
      Optional<Upstream<OrderServiceClient>> orders =
          config
              .routes()
              .of(HttpApi.ORDERS)
              .map(
                  r ->
                      new Upstream<>(
                          r.service(), config, system, OrderServiceClient::create, metrics));
      Optional<Upstream<ShippingServiceClient>> shipping =
          config
              .routes()
              .of(HttpApi.CARRIER)
              .map(
                  r ->
                      new Upstream<>(
                          r.service(), config, system, ShippingServiceClient::create, metrics));
      AtomicBoolean ready = new AtomicBoolean(false);
      CompletableFuture<Done> goingAway = new CompletableFuture<>();
      ApiRoutes routes =
          new ApiRoutes(
              config,
              users,
              orders,
              shipping,
              metrics,
              ready::get,
              jwt,
              settings.getDuration("rampart.gateway.streams.key-check-interval"),
              goingAway,
              settings.getDuration("rampart.gateway.streams.sse-heartbeat"));
      EdgeHandler edge =
          new EdgeHandler(
              routes.handler(system),
              new RouteTemplates(config.routes()),
              jwt,
              rateLimit,
              new Cors(config.corsAllowedOrigins()),
              metrics);

      CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
      Duration drain = system.settings().config().getDuration("rampart.gateway.shutdown-drain");
      shutdown.addTask(
          CoordinatedShutdown.PhaseBeforeServiceUnbind(),
          "gateway-not-ready",
          () -> {
            ready.set(false);
            // on SIGTERM the pod is leaving: keep serving while endpoints and load balancers drop
            // it, or clients that picked it a moment ago get refused connections
            if (!leavingOnSigterm(shutdown)) {
              return CompletableFuture.completedFuture(Done.getInstance());
            }
            log.info("Shutting down: not ready; serving {} more before unbinding", drain);
            return Patterns.after(
                drain,
                system.scheduler(),
                system.dispatcher(),
                () -> endStreams(system, goingAway, routes::openStreams));
          });
      shutdown.addTask(
          CoordinatedShutdown.PhaseServiceStop(),
          "gateway-close-upstreams",
          () ->
              CompletableFuture.allOf(
                      Stream.of(users, orders, shipping)
                          .flatMap(Optional::stream)
                          .map(u -> u.close().toCompletableFuture())
                          .toArray(CompletableFuture[]::new))
                  .thenApply(done -> Done.getInstance()));

      ServerBinding binding =
          Http.get(system)
              .newServerAt(config.httpHost(), config.httpPort())
              .bind(edge)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      if (localhost.isPresent()) {
        ServerBinding local =
            Http.get(system)
                .newServerAt(localhost.get(), binding.localAddress().getPort())
                .bind(edge)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .addToCoordinatedShutdown(Duration.ofSeconds(10), system);
        log.info("gateway also listening on {}", local.localAddress());
      }
      Optional<ServerBinding> egress = Optional.empty();
      if (!config.egress().endpoints().isEmpty()) {
        // its own listener, never the public one: the public gateway must be no open proxy
        egress =
            Optional.of(
                Http.get(system)
                    .newServerAt(config.httpHost(), config.egress().port())
                    .bind(new EgressProxy(config.egress(), system, metrics))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)
                    .addToCoordinatedShutdown(Duration.ofSeconds(10), system));
        log.info(
            "egress listening on {} ({})",
            egress.get().localAddress(),
            String.join(", ", config.egress().endpoints().keySet()));
      }
      ready.set(true);
      return new GatewayServer(system, binding, egress);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
    }
  }

  /**
   * Ends every open stream (1001 going away, the SSE end event) while the server is still bound,
   * and waits until they have ended (at most {@link #STREAMS_END_TIMEOUT}): the server's
   * termination would otherwise cut them before their last frame.
   */
  private static CompletionStage<Done> endStreams(
      ActorSystem system, CompletableFuture<Done> goingAway, IntSupplier openStreams) {
    goingAway.complete(Done.getInstance());
    return whenNone(system, openStreams, System.nanoTime() + STREAMS_END_TIMEOUT.toNanos());
  }

  private static CompletionStage<Done> whenNone(
      ActorSystem system, IntSupplier open, long deadlineNanos) {
    if (open.getAsInt() == 0 || System.nanoTime() > deadlineNanos)
      return CompletableFuture.completedFuture(Done.getInstance());
    return Patterns.after(
        Duration.ofMillis(20),
        system.scheduler(),
        system.dispatcher(),
        () -> whenNone(system, open, deadlineNanos));
  }

  private static boolean leavingOnSigterm(CoordinatedShutdown shutdown) {
    return shutdown
        .getShutdownReason()
        .filter(CoordinatedShutdown.jvmExitReason()::equals)
        .isPresent();
  }

  /** Stops as a SIGTERM would (the JVM's shutdown hook): with the drain. */
  CompletionStage<Done> stopAsOnSigterm() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The egress listener's port, when egress endpoints are configured. */
  public Optional<Integer> egressPort() {
    return egress.map(b -> b.localAddress().getPort());
  }

  public String host() {
    return binding.localAddress().getHostString();
  }

  public CompletionStage<?> whenTerminated() {
    return system.getWhenTerminated();
  }

  @Override
  public void close() {
    try {
      CoordinatedShutdown.get(system)
          .runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
    }
  }
}
