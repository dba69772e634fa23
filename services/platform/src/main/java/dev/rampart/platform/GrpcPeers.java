package dev.rampart.platform;

import akka.actor.ClassicActorSystemProvider;
import akka.discovery.Discovery;
import akka.grpc.GrpcClientSettings;
import dev.rampart.contract.Env;
import dev.rampart.contract.Ports;
import dev.rampart.peers.PeerClients;
import java.time.Duration;

/**
 * Client settings for the gRPC services this one calls. A peer with static endpoints ({@link
 * Env#PEER_ENDPOINTS}, local runs) is resolved through config discovery; otherwise its discovery
 * name from {@link Env#PEERS} is looked up with kubernetes-api discovery (pods labelled with that
 * name, port {@link Ports#GRPC_NAME}), never cluster DNS. Either way the client balances
 * round-robin over every pod.
 */
public final class GrpcPeers {
  private final ClassicActorSystemProvider system;
  private final PlatformSettings settings;

  public GrpcPeers(ClassicActorSystemProvider system, PlatformSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  /** True when {@code peer} ("user", "shipping", ...) has endpoints or a discovery name. */
  public boolean knows(String peer) {
    return settings.peerEndpoints().containsKey(peer)
        || settings.peerDiscoveryNames().containsKey(peer);
  }

  /**
   * Settings for a generated client, e.g. {@code UserServiceClient.create(peers.settings("user"),
   * system)}.
   */
  public GrpcClientSettings settings(String peer) {
    GrpcClientSettings base;
    if (settings.peerEndpoints().containsKey(peer)) {
      base =
          GrpcClientSettings.usingServiceDiscovery(
              PlatformConfig.peerDiscoveryName(peer),
              Discovery.get(system.classicSystem()).loadServiceDiscovery("config"),
              system);
    } else if (settings.peerDiscoveryNames().containsKey(peer)) {
      // Ready pods only, re-resolved every few seconds (new pods get calls soon after a scale-up)
      base =
          PeerClients.readyPods(
              settings.peerDiscoveryNames().get(peer), Ports.GRPC_NAME, Ports.GRPC, system);
    } else {
      throw new IllegalStateException(
          "gRPC peer '"
              + peer
              + "' is unknown: set "
              + Env.PEERS
              + " ("
              + peer
              + "=<discovery name>) or "
              + Env.PEER_ENDPOINTS
              + " ("
              + peer
              + "=host:port)");
    }
    return base.withTls(false)
        .withLoadBalancingPolicy("round_robin")
        .withDefaultPort(Ports.GRPC)
        .withDeadline(Duration.ofSeconds(10));
  }
}
