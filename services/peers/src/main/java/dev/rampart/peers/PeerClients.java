package dev.rampart.peers;

import akka.actor.ClassicActorSystemProvider;
import akka.discovery.Discovery;
import akka.discovery.Lookup;
import akka.discovery.ServiceDiscovery;
import akka.grpc.GrpcClientSettings;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import scala.Function1;

/**
 * gRPC client settings for a peer found through Akka Discovery, re-resolved every {@code
 * rampart.peers.re-resolve-interval} ({@link PollingNameResolver}). In Kubernetes the discovery is
 * {@link ReadyPodDiscovery}: calls go to Ready pods only, and a new pod gets calls within one
 * interval of becoming Ready.
 */
public final class PeerClients {
  private PeerClients() {}

  /** Ready pods of {@code discoveryName} in Kubernetes, port named {@code portName}. */
  public static GrpcClientSettings readyPods(
      String discoveryName, String portName, int defaultPort, ClassicActorSystemProvider system) {
    ServiceDiscovery discovery =
        Discovery.get(system.classicSystem()).loadServiceDiscovery(ReadyPodDiscovery.METHOD);
    return polling(
        GrpcClientSettings.usingServiceDiscovery(discoveryName, discovery, system)
            .withServicePortName(portName)
            .withServiceProtocol("tcp")
            .withDefaultPort(defaultPort),
        Lookup.create(discoveryName).withPortName(portName).withProtocol("tcp"),
        discovery,
        system);
  }

  /** {@code settings} with a resolver that polls {@code discovery} for {@code lookup}. */
  public static GrpcClientSettings polling(
      GrpcClientSettings settings,
      Lookup lookup,
      ServiceDiscovery discovery,
      ClassicActorSystemProvider system) {
    Duration interval =
        system.classicSystem().settings().config().getDuration("rampart.peers.re-resolve-interval");
    var factory =
        new PollingNameResolver.Factory(
            discovery,
            lookup,
            settings.defaultPort(),
            Duration.ofMillis(settings.resolveTimeout().toMillis()),
            interval);
    Function1<NettyChannelBuilder, NettyChannelBuilder> override =
        builder -> settings.channelBuilderOverrides().apply(builder).nameResolverFactory(factory);
    return settings.withChannelBuilderOverrides(override);
  }
}
