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
 * Relays UserService.WatchNotifications to a WebSocket or an SSE stream. Notifications are
 * deduplicated by id (a bounded window, seeded with Last-Event-ID); the Last-Event-ID is also
 * passed upstream as metadata so a service that keeps recent notifications can resume after it
 * (best effort: the stream otherwise starts with what happens next). An upstream failure ends the
 * client's stream; the client reconnects.
 */
final class NotificationRelay {
  static final String LAST_EVENT_ID_METADATA = "last-event-id";
  static final int DEDUPE_WINDOW = 1024;
  static final String END_EVENT = "end";

  private final Upstream<UserServiceClient> users;
  private final StreamSlots slots;

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

  Source<Notification, NotUsed> notifications(
      String userId, UpstreamTags requestId, Optional<String> lastEventId) {
    var call = requestId.on(users.streaming().watchNotifications());
    if (lastEventId.isPresent()) call = call.addHeader(LAST_EVENT_ID_METADATA, lastEventId.get());
    return slots.guarded(
        userId,
        call.invoke(WatchNotificationsRequest.newBuilder().setUserId(userId).build())
            .statefulMapConcat(
                () -> {
                  Set<String> seen = boundedSet();
                  lastEventId.ifPresent(seen::add);
                  return n ->
                      seen.add(n.getNotificationId()) ? List.of(n) : List.<Notification>of();
                })
            .recoverWithRetries(1, Throwable.class, Source::empty));
  }

  /** The notifications as JSON text messages, for a WebSocket. */
  Source<Message, NotUsed> webSocketMessages(String userId, UpstreamTags requestId) {
    return notifications(userId, requestId, Optional.empty())
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
      Source<String, NotUsed> end,
      Duration heartbeat) {
    return notifications(userId, requestId, lastEventId)
        .map(
            n ->
                ServerSentEvent.create(
                    UserJson.notification(n).toString(), UserJson.kind(n), n.getNotificationId()))
        // end never completes by itself, so the merge cannot drop its event by completing first
        .merge(end.take(1).map(NotificationRelay::endEvent).concat(Source.never()), true)
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
