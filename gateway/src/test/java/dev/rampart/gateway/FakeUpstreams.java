package dev.rampart.gateway;

import akka.actor.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.order.v1.OrderServiceHandlerFactory;
import dev.rampart.proto.user.v1.UserServiceHandlerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's upstreams for gateway tests: {@link FakeUserService} and {@link FakeOrderService}
 * served by real Akka gRPC servers (HTTP/2, h2c) on loopback in their own ActorSystem, as separate
 * services would be. Records the x-request-id and traceparent metadata each call carried.
 */
final class FakeUpstreams implements AutoCloseable {
  final ActorSystem system;
  final FakeUserService users;
  final FakeOrderService orders;
  final ServerBinding userBinding;
  final ServerBinding orderBinding;

  /** A second User server over the same state: a second "pod" for load-balancing tests. */
  final ServerBinding secondUserBinding;

  final List<String> requestIds = new CopyOnWriteArrayList<>();

  /** The traceparent metadata of every call, in arrival order. */
  final List<String> traceparents = new CopyOnWriteArrayList<>();

  /** Calls per server port. */
  final Map<Integer, java.util.concurrent.atomic.AtomicInteger> callsByPort =
      new java.util.concurrent.ConcurrentHashMap<>();

  FakeUpstreams() {
    system =
        ActorSystem.create(
            "upstreams",
            ConfigFactory.parseString(
                    "akka.http.server.enable-http2 = on\n"
                        + "akka.loglevel = WARNING\n"
                        + "akka.coordinated-shutdown.exit-jvm = off")
                .withFallback(ConfigFactory.load()));
    users = new FakeUserService(system);
    orders = new FakeOrderService(users);
    userBinding = bind(UserServiceHandlerFactory.create(users, system));
    orderBinding = bind(OrderServiceHandlerFactory.create(orders, system));
    secondUserBinding = bind(UserServiceHandlerFactory.create(users, system));
  }

  private ServerBinding bind(Function<HttpRequest, CompletionStage<HttpResponse>> grpc) {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    Function<HttpRequest, CompletionStage<HttpResponse>> recording =
        req -> {
          req.getHeader("x-request-id").map(HttpHeader::value).ifPresent(requestIds::add);
          req.getHeader("traceparent").map(HttpHeader::value).ifPresent(traceparents::add);
          calls.incrementAndGet();
          return grpc.apply(req);
        };
    try {
      ServerBinding binding =
          Http.get(system)
              .newServerAt("127.0.0.1", 0)
              .bind(recording)
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      callsByPort.put(binding.localAddress().getPort(), calls);
      return binding;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RAMPART_PEER_ENDPOINTS-style map for the gateway config. */
  Map<String, List<GatewayConfig.HostPort>> endpoints() {
    return Map.of(
        "user",
            List.of(new GatewayConfig.HostPort("127.0.0.1", userBinding.localAddress().getPort())),
        "order",
            List.of(
                new GatewayConfig.HostPort("127.0.0.1", orderBinding.localAddress().getPort())));
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort in test teardown
    }
  }
}
