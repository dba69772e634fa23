package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import dev.rampart.proto.user.v1.Notification;

/**
 * Lives as long as one WatchNotifications stream: joins the user's pub-sub topic on this node with
 * the stream's actor as subscriber (so notifications published on any node reach it), and marks the
 * user online in {@link Presence} until the stream ends.
 */
final class NotificationWatcher {

  static Behavior<Void> create(
      String userId,
      String streamId,
      ActorRef<Notification> stream,
      ActorRef<Presence.Command> presence) {
    return Behaviors.setup(
        ctx -> {
          ActorRef<Topic.Command<Notification>> topic =
              ctx.spawn(UserEntity.notificationTopic(userId), "topic");
          topic.tell(Topic.subscribe(stream));
          ctx.watch(stream);
          presence.tell(new Presence.StreamOpened(userId, streamId));
          return Behaviors.receive(Void.class)
              .onSignal(Terminated.class, t -> Behaviors.stopped())
              .onSignal(
                  PostStop.class,
                  s -> {
                    presence.tell(new Presence.StreamClosed(userId, streamId));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private NotificationWatcher() {}
}
