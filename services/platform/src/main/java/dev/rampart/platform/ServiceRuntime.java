package dev.rampart.platform;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import akka.pattern.Patterns;
import akka.stream.Materializer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.rampart.contract.Localhost;
import dev.rampart.peers.CompletionPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Rampart service: the ActorSystem built from the environment, its journal schema,
 * Akka Management (health, metrics, bootstrap contact point) and Cluster Bootstrap. Services add
 * their sharding, projections and gRPC handlers on top:
 *
 * <pre>{@code
 * ServiceRuntime runtime = ServiceRuntime.fromEnvironment("order");
 * ... sharding.init(...), projections ...
 * runtime.serveGrpc(handler);
 * }</pre>
 */
public final class ServiceRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  /** In-flight gRPC requests get this long after unbind; below service-requests-done's timeout. */
  static final Duration GRPC_TERMINATION_DEADLINE = Duration.ofSeconds(8);

  private final PlatformSettings settings;
  private final ActorSystem<Void> system;
  private final GrpcPeers peers;

  private ServiceRuntime(PlatformSettings settings, ActorSystem<Void> system) {
    this.settings = settings;
    this.system = system;
    this.peers = new GrpcPeers(system, settings);
  }

  /**
   * A process's node: settings from {@code System.getenv()}; the JVM exits when the node leaves the
   * cluster.
   */
  public static ServiceRuntime fromEnvironment(String service) {
    // before Akka starts: its futures' completions must not each start a thread (CompletionPool)
    int completionThreads = CompletionPool.configure();
    log.debug("Common pool parallelism {}", completionThreads);
    return start(
        PlatformSettings.fromEnv(service, System.getenv()),
        ConfigFactory.parseString("akka.coordinated-shutdown.exit-jvm = on"));
  }

  /** A node with explicit environment (tests run several nodes in one JVM) and config overrides. */
  public static ServiceRuntime start(String service, Map<String, String> env, Config overrides) {
    return start(PlatformSettings.fromEnv(service, env), overrides);
  }

  public static ServiceRuntime start(PlatformSettings settings, Config overrides) {
    Config config = PlatformConfig.load(settings, overrides);
    log.info(
        "Starting {} node {} at {} (discovery {}, journal {}, kafka {})",
        settings.service(),
        settings.podName(),
        settings.podIp(),
        settings.discoveryMethod(),
        settings.journal(),
        settings.kafka());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), settings.service(), config);
    try {
      JournalSchema.createIfAbsent(system);
      PlatformMetrics.get(system); // register gauges before the first scrape
      drainBeforeUnbind(system);
      serveManagement(system, settings);
      ClusterBootstrap.get(system).start();
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("node start-up failed: " + e.getMessage(), e);
    }
    return new ServiceRuntime(settings, system);
  }

  /**
   * Readiness is false once shutdown starts ({@link ShutdownReadinessCheck}); the node keeps
   * serving for {@code rampart.shutdown.drain} so callers drop it before the gRPC server unbinds.
   */
  private static void drainBeforeUnbind(ActorSystem<Void> system) {
    Duration drain = system.settings().config().getDuration("rampart.shutdown.drain");
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "rampart-drain",
            () -> {
              log.info("Shutting down: not ready; serving {} more before unbinding", drain);
              return Patterns.after(
                  drain,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> CompletableFuture.completedFuture(Done.getInstance()));
            });
  }

  /**
   * Akka Management's routes (health, metrics, cluster, bootstrap contact point) on the pod IP and
   * on the pod's localhost ({@link Localhost}), for {@code kubectl port-forward}: its own {@code
   * start()} binds one address only, and its routes can be built once. Like its own binding, these
   * live as long as the ActorSystem, so probes answer through the drain.
   */
  private static void serveManagement(ActorSystem<Void> system, PlatformSettings s)
      throws Exception {
    var routes = AkkaManagement.get(system).getRoutes();
    List<String> hosts = new ArrayList<>(List.of(s.podIp()));
    s.localhost().ifPresent(hosts::add);
    for (String host : hosts) {
      ServerBinding binding =
          Http.get(system)
              .newServerAt(host, s.managementPort())
              .bind(routes)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      log.info("Akka Management bound at {}", binding.localAddress());
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public PlatformSettings settings() {
    return settings;
  }

  public KafkaSettings kafka() {
    return settings.kafka();
  }

  /** gRPC client settings for peer services. */
  public GrpcPeers peers() {
    return peers;
  }

  /** The journal pool (JDBC projections: {@link JournalJdbcSession#factory}). */
  public JournalDatabase journalDatabase() {
    return JournalDatabase.of(system);
  }

  /**
   * Binds the service's gRPC handler (e.g. {@link StandardGrpc#handler}: its services, reflection
   * and health) on POD_IP:GRPC_PORT and the pod's localhost ({@link Localhost}), HTTP/2 without
   * TLS; unbound on coordinated shutdown. A request message over {@code
   * rampart.grpc.max-request-bytes} is refused with RESOURCE_EXHAUSTED (with {@link
   * GrpcErrors#mapper()} on the handler): akka-http's max-content-length does not bound HTTP/2
   * request streams.
   */
  public CompletionStage<ServerBinding> serveGrpc(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    Config c = system.settings().config();
    String host = c.getString("rampart.grpc.interface");
    int port = c.getInt("rampart.grpc.port");
    long maxMessageBytes = c.getBytes("rampart.grpc.max-request-bytes");
    Function<HttpRequest, CompletionStage<HttpResponse>> bounded =
        maxMessageBytes <= 0
            ? handler
            : request ->
                handler.apply(
                    BoundedRequests.bound(
                        request, maxMessageBytes, Materializer.matFromSystem(system)));
    CompletionStage<ServerBinding> podIp = bindGrpc(host, port, bounded);
    return settings
        .localhost()
        .map(localhost -> podIp.thenCombine(bindGrpc(localhost, port, bounded), (a, b) -> a))
        .orElse(podIp);
  }

  private CompletionStage<ServerBinding> bindGrpc(
      String host, int port, Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return Http.get(system)
        .newServerAt(host, port)
        .bind(handler)
        .thenApply(
            binding -> {
              log.info("gRPC server bound at {}", binding.localAddress());
              return binding.addToCoordinatedShutdown(GRPC_TERMINATION_DEADLINE, system);
            });
  }

  /** Leaves the cluster and stops the node. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("node did not stop within 30s: {}", e.toString());
    }
  }
}
