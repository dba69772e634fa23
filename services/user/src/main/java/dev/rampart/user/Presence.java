package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.ORMultiMap;
import akka.cluster.ddata.ORMultiMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.util.Set;

/**
 * Which users have an open notification stream, on any node: a replicated {@link ORMultiMap}
 * (Distributed Data) from user id to the ids of their open streams. Each stream id starts with the
 * address of the node serving it, so the streams of a node that left the cluster are removed by
 * whoever sees it go. The map is split into {@link #BUCKETS} keys to keep each replicated value
 * small. One actor per node.
 */
public final class Presence {
  static final int BUCKETS = 16;

  public sealed interface Command {}

  public record StreamOpened(String userId, String streamId) implements Command {}

  public record StreamClosed(String userId, String streamId) implements Command {}

  public record IsOnline(String userId, ActorRef<Boolean> replyTo) implements Command {}

  private record UpdateDone(Replicator.UpdateResponse<ORMultiMap<String, String>> response)
      implements Command {}

  private record GetDone(
      Replicator.GetResponse<ORMultiMap<String, String>> response,
      String userId,
      ActorRef<Boolean> replyTo)
      implements Command {}

  private record NodeRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  private record Cleanup(
      Replicator.GetResponse<ORMultiMap<String, String>> response, String nodePrefix)
      implements Command {}

  /** A stream id unique in the cluster: the serving node's address plus a local id. */
  public static String streamId(akka.actor.typed.ActorSystem<?> system, String localId) {
    return Cluster.get(system).selfMember().address() + "/" + localId;
  }

  static Key<ORMultiMap<String, String>> bucket(String userId) {
    return ORMultiMapKey.create("user-presence-" + Math.floorMod(userId.hashCode(), BUCKETS));
  }

  public static Behavior<Command> create() {
    return Behaviors.setup(
        ctx ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator) -> {
                  SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                  Cluster.get(ctx.getSystem())
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              ctx.messageAdapter(
                                  ClusterEvent.MemberRemoved.class, NodeRemoved::new),
                              ClusterEvent.MemberRemoved.class));

                  return Behaviors.receive(Command.class)
                      .onMessage(
                          StreamOpened.class,
                          m -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        bucket(m.userId()),
                                        ORMultiMap.emptyWithValueDeltas(),
                                        Replicator.writeLocal(),
                                        replyTo,
                                        map -> map.addBindingBy(m.userId(), m.streamId(), self)),
                                UpdateDone::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          StreamClosed.class,
                          m -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        bucket(m.userId()),
                                        ORMultiMap.emptyWithValueDeltas(),
                                        Replicator.writeLocal(),
                                        replyTo,
                                        map -> map.removeBindingBy(m.userId(), m.streamId(), self)),
                                UpdateDone::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          IsOnline.class,
                          m -> {
                            replicator.askGet(
                                replyTo ->
                                    new Replicator.Get<>(
                                        bucket(m.userId()), Replicator.readLocal(), replyTo),
                                response -> new GetDone(response, m.userId(), m.replyTo()));
                            return Behaviors.same();
                          })
                      .onMessage(
                          GetDone.class,
                          m -> {
                            boolean online =
                                m.response()
                                        instanceof
                                        Replicator.GetSuccess<ORMultiMap<String, String>> success
                                    && !success
                                        .get(bucket(m.userId()))
                                        .getEntries()
                                        .getOrDefault(m.userId(), Set.of())
                                        .isEmpty();
                            m.replyTo().tell(online);
                            return Behaviors.same();
                          })
                      .onMessage(
                          NodeRemoved.class,
                          m -> {
                            // The streams of a removed node are gone with it; forget them so the
                            // users do not stay online.
                            String prefix = m.event().member().address() + "/";
                            for (int i = 0; i < BUCKETS; i++) {
                              Key<ORMultiMap<String, String>> key =
                                  ORMultiMapKey.create("user-presence-" + i);
                              replicator.askGet(
                                  replyTo ->
                                      new Replicator.Get<>(key, Replicator.readLocal(), replyTo),
                                  response -> new Cleanup(response, prefix));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Cleanup.class,
                          m -> {
                            if (m.response()
                                instanceof
                                Replicator.GetSuccess<ORMultiMap<String, String>> success) {
                              Key<ORMultiMap<String, String>> key = success.key();
                              ORMultiMap<String, String> map = success.get(key);
                              for (String userId : map.getEntries().keySet()) {
                                for (String streamId : Set.copyOf(map.getEntries().get(userId))) {
                                  if (streamId.startsWith(m.nodePrefix())) {
                                    replicator.askUpdate(
                                        replyTo ->
                                            new Replicator.Update<>(
                                                key,
                                                ORMultiMap.emptyWithValueDeltas(),
                                                Replicator.writeLocal(),
                                                replyTo,
                                                current ->
                                                    current.removeBindingBy(
                                                        userId, streamId, self)),
                                        UpdateDone::new);
                                  }
                                }
                              }
                            }
                            return Behaviors.same();
                          })
                      .onMessage(UpdateDone.class, m -> Behaviors.same())
                      .build();
                }));
  }

  private Presence() {}
}
