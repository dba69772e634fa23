package dev.rampart.gateway;

import akka.NotUsed;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.javadsl.Source;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Relays UserService.WatchNotifications to a WebSocket or an SSE stream. The client's resume point
 * (SSE Last-Event-ID, WebSocket {@code ?after=}) goes upstream as {@code after_notification_id}
 * when it is one of the user's notification ids ({@code <userId>:<n>}), and the User service
 * replays what came after it. Notifications are also deduplicated by id (a bounded window, seeded
 * with the resume point). An upstream failure ends the client's stream; the client reconnects with
 * the last id it saw.
 */
final class NotificationRelay {
  static final int DEDUPE_WINDOW = 1024;
  static final String END_EVENT = "end";

  private final Upstream<UserServiceClient> users;
  private final StreamSlots slots;

  int openStreams() {
    return slots.total();
  }

  NotificationRelay(Upstream<UserServiceClient> users, StreamSlots slots) {
    this.users = users;
    this.slots = slots;
  }

  /** Whether the user already holds all their streams (the route answers 429). */
  boolean full(String userId) {
    return slots.full(userId);
  }

  /** Whether this pod already holds all the streams it may (the route answers 429). */
  boolean podFull() {
    return slots.podFull();
  }

  /** Whether {@code id} is one of {@code userId}'s notification ids, {@code <userId>:<n>}. */
  static boolean isNotificationId(String userId, String id) {
    String prefix = userId + ":";
    String n = id.startsWith(prefix) ? id.substring(prefix.length()) : "";
    return !n.isEmpty() && n.length() <= 18 && n.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  Source<Notification, NotUsed> notifications(
      String userId, UpstreamTags requestId, Optional<String> lastEventId) {
    var request = WatchNotificationsRequest.newBuilder().setUserId(userId);
    lastEventId
        .filter(id -> isNotificationId(userId, id))
        .ifPresent(request::setAfterNotificationId);
    return slots.guarded(
        userId,
        requestId
            .on(users.streaming().watchNotifications())
            .invoke(request.build())
            .statefulMapConcat(
                () -> {
                  Set<String> seen = boundedSet();
                  lastEventId.ifPresent(seen::add);
                  return n ->
                      seen.add(n.getNotificationId()) ? List.of(n) : List.<Notification>of();
                })
            .recoverWithRetries(1, Throwable.class, Source::empty));
  }

  /** The notifications after {@code after} as JSON text messages, for a WebSocket. */
  Source<Message, NotUsed> webSocketMessages(
      String userId, UpstreamTags requestId, Optional<String> after) {
    return notifications(userId, requestId, after)
        .map(n -> (Message) TextMessage.create(UserJson.notification(n).toString()));
  }

  /**
   * The notifications as SSE events; when {@code end} emits, an {@value #END_EVENT} event with the
   * reason as its data, then the stream completes.
   */
  Source<ServerSentEvent, NotUsed> serverSentEvents(
      String userId,
      UpstreamTags requestId,
      Optional<String> lastEventId,
      Source<StreamEnd.Ending, NotUsed> end,
      Duration heartbeat) {
    return notifications(userId, requestId, lastEventId)
        .map(
            n ->
                ServerSentEvent.create(
                    UserJson.notification(n).toString(), UserJson.kind(n), n.getNotificationId()))
        // end never completes by itself, so the merge cannot drop its event by completing first
        .merge(end.take(1).map(e -> endEvent(e.reason())).concat(Source.never()), true)
        .takeWhile(e -> !e.getEventType().equals(Optional.of(END_EVENT)), true)
        .keepAlive(heartbeat, ServerSentEvent::heartbeat);
  }

  private static ServerSentEvent endEvent(String reason) {
    return ServerSentEvent.create(reason, END_EVENT);
  }

  private static Set<String> boundedSet() {
    return Collections.newSetFromMap(
        new LinkedHashMap<String, Boolean>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DEDUPE_WINDOW;
          }
        });
  }
}
