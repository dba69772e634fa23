package dev.rampart.platform;

import static dev.rampart.platform.NodeEnv.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import akka.actor.CoordinatedShutdown;
import akka.grpc.GrpcClientSettings;
import akka.grpc.GrpcServiceException;
import akka.stream.javadsl.Sink;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.grpc.health.v1.HealthCheckRequest;
import dev.rampart.proto.grpc.health.v1.HealthCheckResponse.ServingStatus;
import dev.rampart.proto.grpc.health.v1.HealthClient;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real node's gRPC server over HTTP/2 on loopback: grpc.health.v1 follows the node's readiness,
 * from SERVING once it is an Up member to NOT_SERVING as soon as shutdown starts; every call is
 * timed.
 */
class StandardGrpcTest {

  @Test
  void healthIsServingWhenReadyAndNotServingOnceShutdownStarts() throws Exception {
    int grpcPort = freePort();
    Map<String, String> env = NodeEnv.of("health", "127.0.0.1", freePort(), grpcPort);
    try (ServiceRuntime node = ServiceRuntime.start("health", env, ConfigFactory.empty())) {
      node.serveGrpc(StandardGrpc.handler(node.system(), List.of()))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      HealthClient health =
          HealthClient.create(
              GrpcClientSettings.connectToServiceAt("127.0.0.1", grpcPort, node.system())
                  .withTls(false),
              node.system());
      HealthCheckRequest server = HealthCheckRequest.getDefaultInstance();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(check(health, server).getStatus()).isEqualTo(ServingStatus.SERVING));
      assertThatThrownBy(
              () -> check(health, HealthCheckRequest.newBuilder().setService("no.Such").build()))
          .hasCauseInstanceOf(GrpcServiceException.class)
          .satisfies(
              e ->
                  assertThat(((GrpcServiceException) e.getCause()).status().getCode())
                      .isEqualTo(Status.Code.NOT_FOUND));
      // every call served is timed, by method and status, with histogram buckets (a failure's
      // status ends its body, which the client may read before the server records it)
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(PlatformMetrics.get(node.system()).scrape())
                      .contains(
                          "grpc_server_calls_seconds_bucket{grpc_status=\"0\","
                              + "method=\"grpc.health.v1.Health/Check\",service=\"health\","
                              + "le=\"+Inf\"}")
                      .contains(
                          "grpc_server_calls_seconds_count{grpc_status=\"5\","
                              + "method=\"grpc.health.v1.Health/Check\",service=\"health\"} 1"));

      List<ServingStatus> watched = new CopyOnWriteArrayList<>();
      health.watch(server).runWith(Sink.foreach(r -> watched.add(r.getStatus())), node.system());
      await().atMost(Duration.ofSeconds(10)).until(() -> watched.contains(ServingStatus.SERVING));

      CoordinatedShutdown.get(node.system()).run(CoordinatedShutdown.unknownReason());
      // the drain keeps the server up while readiness is already false
      await()
          .atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(check(health, server).getStatus())
                      .isEqualTo(ServingStatus.NOT_SERVING));
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () ->
                  assertThat(watched)
                      .containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING));
    }
  }

  @Test
  void aCallsTraceparentIsInTheMdcOfItsLogLine() throws Exception {
    var context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger calls = context.getLogger(GrpcTrace.CALL_LOGGER);
    var captured =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    captured.setContext(context);
    captured.start();
    calls.setLevel(ch.qos.logback.classic.Level.DEBUG);
    calls.addAppender(captured);
    int grpcPort = freePort();
    Map<String, String> env = NodeEnv.of("traced", "127.0.0.1", freePort(), grpcPort);
    try (ServiceRuntime node = ServiceRuntime.start("traced", env, ConfigFactory.empty())) {
      node.serveGrpc(StandardGrpc.handler(node.system(), List.of()))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      HealthClient health =
          HealthClient.create(
              GrpcClientSettings.connectToServiceAt("127.0.0.1", grpcPort, node.system())
                  .withTls(false),
              node.system());
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      health
          .check()
          .addHeader("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
          .invoke(HealthCheckRequest.getDefaultInstance())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(captured.list)
                      .anySatisfy(
                          e -> {
                            assertThat(e.getFormattedMessage())
                                .contains("/grpc.health.v1.Health/Check");
                            assertThat(e.getMDCPropertyMap())
                                .containsEntry(
                                    dev.rampart.contract.TraceContext.MDC_TRACE_ID, traceId);
                          }));
    } finally {
      calls.detachAppender(captured);
    }
  }

  private static dev.rampart.proto.grpc.health.v1.HealthCheckResponse check(
      HealthClient health, HealthCheckRequest request)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return health.check(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
