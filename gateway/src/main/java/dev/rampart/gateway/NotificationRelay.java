package dev.rampart.gateway;

import akka.NotUsed;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
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
  static final Duration SSE_HEARTBEAT = Duration.ofSeconds(15);

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

  Source<Notification, NotUsed> notifications(
      String userId, String requestId, Optional<String> lastEventId) {
    var call =
        users.streaming().watchNotifications().addHeader(EdgeHandler.REQUEST_ID_HEADER, requestId);
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

  /**
   * Server messages are the notifications as JSON; client messages are ignored; closing either side
   * ends both.
   */
  Flow<Message, Message, NotUsed> webSocket(String userId, String requestId) {
    Source<Message, NotUsed> out =
        notifications(userId, requestId, Optional.empty())
            .map(n -> (Message) TextMessage.create(UserJson.notification(n).toString()));
    return Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), out);
  }

  Source<ServerSentEvent, NotUsed> serverSentEvents(
      String userId, String requestId, Optional<String> lastEventId) {
    return notifications(userId, requestId, lastEventId)
        .map(
            n ->
                ServerSentEvent.create(
                    UserJson.notification(n).toString(), UserJson.kind(n), n.getNotificationId()))
        .keepAlive(SSE_HEARTBEAT, ServerSentEvent::heartbeat);
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
