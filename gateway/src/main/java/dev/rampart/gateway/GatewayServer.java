package dev.rampart.gateway;

import akka.Done;
import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.user.v1.UserServiceClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running gateway: its own ActorSystem, the upstream clients, and the HTTP server bound to {@code
 * httpHost:httpPort} (port 0 picks a free one). Ready from binding until shutdown starts.
 */
public final class GatewayServer implements AutoCloseable {
  static final int MAX_RATE_LIMITED_CLIENTS = 100_000;
  private final ActorSystem system;
  private final ServerBinding binding;

  private GatewayServer(ActorSystem system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  public static GatewayServer start(GatewayConfig config) {
    JwtAuthenticator jwt =
        new JwtAuthenticator(config.jwt()); // fail fast on a bad JWKS before starting anything
    TokenBuckets rateLimit =
        new TokenBuckets(config.rateLimit(), MAX_RATE_LIMITED_CLIENTS, System::nanoTime);
    ActorSystem system = ActorSystem.create("gateway", AkkaSettings.of(config));
    try {
      GatewayMetrics metrics = new GatewayMetrics();
      Upstream<UserServiceClient> users =
          new Upstream<>(
              config.routes().serviceFor(GatewayConfig.USERS_PREFIX),
              config,
              system,
              UserServiceClient::create,
              metrics);
      Upstream<OrderServiceClient> orders =
          new Upstream<>(
              config.routes().serviceFor(GatewayConfig.ORDERS_PREFIX),
              config,
              system,
              OrderServiceClient::create,
              metrics);
      AtomicBoolean ready = new AtomicBoolean(false);
      ApiRoutes routes = new ApiRoutes(config, users, orders, metrics, ready::get);
      EdgeHandler edge =
          new EdgeHandler(
              routes.handler(system),
              jwt,
              rateLimit,
              new Cors(config.corsAllowedOrigins()),
              metrics);

      CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
      shutdown.addTask(
          CoordinatedShutdown.PhaseBeforeServiceUnbind(),
          "gateway-not-ready",
          () -> {
            ready.set(false);
            return CompletableFuture.completedFuture(Done.getInstance());
          });
      shutdown.addTask(
          CoordinatedShutdown.PhaseServiceStop(),
          "gateway-close-upstreams",
          () -> users.close().thenCombine(orders.close(), (a, b) -> Done.getInstance()));

      ServerBinding binding =
          Http.get(system)
              .newServerAt(config.httpHost(), config.httpPort())
              .bind(edge)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      ready.set(true);
      return new GatewayServer(system, binding);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
    }
  }

  public int port() {
    return binding.localAddress().getPort();
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
