package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;

/**
 * Lives as long as one WatchNotifications stream: joins the user's pub-sub topic on this node with
 * the stream's actor as subscriber (so notifications published on any node reach it), and marks the
 * user online in {@link Presence} until the stream ends.
 *
 * <p>A topic drops what it publishes before the subscription has spread to the publisher's node (by
 * the receptionist's gossip), and nothing tells a subscriber when that has happened. So the watcher
 * sends the entity a {@link UserFeed.Probe} every {@code probeInterval} until the entity's {@link
 * UserFeed.Probed} comes back on the topic: from then on every change reaches the stream live, and
 * the ones before it are in the journal up to the probe's sequence number. No answer within {@code
 * probeTimeout}: the stream fails with {@link ProbeTimedOut} (the client reconnects).
 */
final class NotificationWatcher {

  /** Sent to the stream when no probe came back: the stream fails with it. */
  record ProbeTimedOut(String watchId) implements UserFeed.Published {}

  interface Msg {}

  private record Topical(UserFeed.Published message) implements Msg {}

  private enum Tick implements Msg {
    INSTANCE
  }

  private enum GiveUp implements Msg {
    INSTANCE
  }

  static Behavior<Msg> create(
      String userId,
      String watchId,
      ActorRef<UserFeed.Published> stream,
      ActorRef<Presence.Command> presence,
      EntityRef<UserFeed.Command> entity,
      Duration probeInterval,
      Duration probeTimeout) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<Topic.Command<UserFeed.Published>> topic =
                      ctx.spawn(UserFeed.notificationTopic(userId), "topic");
                  topic.tell(
                      Topic.subscribe(ctx.messageAdapter(UserFeed.Published.class, Topical::new)));
                  ctx.watch(stream);
                  presence.tell(
                      new Presence.StreamOpened(
                          userId, Presence.streamId(ctx.getSystem(), watchId)));
                  entity.tell(new UserFeed.Probe(watchId));
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, probeInterval);
                  timers.startSingleTimer(GiveUp.INSTANCE, probeTimeout);
                  return Behaviors.receive(Msg.class)
                      .onMessage(
                          Topical.class,
                          t -> {
                            if (t.message() instanceof UserFeed.Probed p
                                && p.watchId().equals(watchId)) {
                              timers.cancelAll();
                            }
                            stream.tell(t.message());
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Tick.INSTANCE,
                          () -> {
                            entity.tell(new UserFeed.Probe(watchId));
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          GiveUp.INSTANCE,
                          () -> {
                            stream.tell(new ProbeTimedOut(watchId));
                            return Behaviors.stopped();
                          })
                      .onSignal(Terminated.class, t -> Behaviors.stopped())
                      .onSignal(
                          PostStop.class,
                          s -> {
                            presence.tell(
                                new Presence.StreamClosed(
                                    userId, Presence.streamId(ctx.getSystem(), watchId)));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private NotificationWatcher() {}
}
