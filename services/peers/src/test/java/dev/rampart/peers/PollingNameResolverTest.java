package dev.rampart.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.ActorSystem;
import akka.discovery.Lookup;
import akka.discovery.ServiceDiscovery;
import akka.dispatch.Futures;
import akka.grpc.GrpcClientSettings;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.UserService;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.proto.user.v1.UserServiceHandlerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Real gRPC servers and a real Akka gRPC client: a server that discovery starts listing gets calls
 * within seconds, without any call failing first (Akka gRPC's own resolver would stay on the first
 * list until a failure); one that discovery stops listing gets no more.
 */
class PollingNameResolverTest {
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            "peers", ConfigFactory.parseString("akka.http.server.enable-http2 = on"));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** What discovery answers: the listed ports on loopback, as the test sets them. */
  static final class Listed extends ServiceDiscovery {
    final AtomicReference<List<Integer>> ports = new AtomicReference<>(List.of());

    @Override
    public Future<Resolved> lookup(Lookup lookup, FiniteDuration resolveTimeout) {
      List<ResolvedTarget> targets = new ArrayList<>();
      ports
          .get()
          .forEach(
              p -> targets.add(new ResolvedTarget("127.0.0.1", Option.apply(p), Option.empty())));
      return Futures.successful(
          new Resolved(lookup.serviceName(), CollectionConverters.asScala(targets).toList()));
    }
  }

  static ServerBinding serve(String serverName) throws Exception {
    UserService service =
        new UserService() {
          @Override
          public CompletionStage<User> getUser(GetUserRequest in) {
            return CompletableFuture.completedFuture(User.newBuilder().setName(serverName).build());
          }

          @Override
          public CompletionStage<User> register(dev.rampart.proto.user.v1.RegisterRequest in) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletionStage<User> changeAddress(
              dev.rampart.proto.user.v1.ChangeAddressRequest in) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletionStage<dev.rampart.proto.user.v1.CustomerCheck> checkCustomer(
              dev.rampart.proto.user.v1.CheckCustomerRequest in) {
            throw new UnsupportedOperationException();
          }

          @Override
          public akka.stream.javadsl.Source<dev.rampart.proto.user.v1.Notification, akka.NotUsed>
              watchNotifications(dev.rampart.proto.user.v1.WatchNotificationsRequest in) {
            throw new UnsupportedOperationException();
          }
        };
    return Http.get(system)
        .newServerAt("127.0.0.1", 0)
        .bind(UserServiceHandlerFactory.create(service, system))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void newlyListedServerGetsCallsWithinSecondsAndAnUnlistedOneNone() throws Exception {
    ServerBinding a = serve("a");
    ServerBinding b = serve("b");
    var discovery = new Listed();
    discovery.ports.set(List.of(a.localAddress().getPort()));
    GrpcClientSettings base =
        GrpcClientSettings.usingServiceDiscovery("user", discovery, system)
            .withTls(false)
            .withLoadBalancingPolicy("round_robin")
            .withDeadline(Duration.ofSeconds(5));
    var client =
        UserServiceClient.create(
            PeerClients.polling(base, Lookup.create("user"), discovery, system), system);
    try {
      assertThat(names(client, 10)).containsExactly("a");

      // scale-up: b is Ready now; every call keeps succeeding and b gets its share within seconds
      discovery.ports.set(List.of(a.localAddress().getPort(), b.localAddress().getPort()));
      long listed = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> names(client, 4).contains("b"));
      System.out.printf(
          "new server got calls %d ms after discovery listed it%n",
          (System.nanoTime() - listed) / 1_000_000);

      // a stops being Ready: it is dropped from the list and gets no more calls
      discovery.ports.set(List.of(b.localAddress().getPort()));
      await()
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> names(client, 6).equals(Set.of("b")));
    } finally {
      client.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
      a.unbind();
      b.unbind();
    }
  }

  /** The servers that answered {@code n} calls; any failed call fails the test. */
  static Set<String> names(UserServiceClient client, int n) throws Exception {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < n; i++) {
      names.add(
          client
              .getUser(GetUserRequest.newBuilder().setUserId("u").build())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS)
              .getName());
    }
    return names;
  }
}
