package dev.rampart.user;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.Offset;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.typed.PersistenceId;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.Handler;
import akka.projection.javadsl.SourceProvider;
import akka.projection.jdbc.javadsl.JdbcProjection;
import akka.stream.javadsl.Sink;
import dev.rampart.platform.JournalJdbcSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Projects the users' {@link UserFeed} journals into their {@link OrderHistory} read models, at
 * least once. An Akka projection per tag slice ({@link #TAGS}, spread over the cluster by a sharded
 * daemon process, offsets in the journal database) sees each feed event that concerns the history
 * and has the user's history catch up to it: the history is read from the user's journal by
 * persistence id ({@link #catchUp}), from the history's own position on, in the feed's order. So an
 * envelope that comes again, or one whose predecessors the history already has, costs one ask; a
 * journal written before the projection existed (the earlier UserEntity's, whose events carry no
 * slice tag) is caught up the first time any of the user's events is projected or their history is
 * read; and GetUser catches up to the feed's position before it answers (read your writes).
 */
final class OrderHistoryProjection {
  static final String NAME = "user-order-history";
  static final List<String> TAGS =
      List.of("user-feed-0", "user-feed-1", "user-feed-2", "user-feed-3");

  /** Feed events read and applied in one go, at most: bounds one journal query and one event. */
  static final int BATCH = 500;

  static String tagFor(String userId) {
    return TAGS.get(Math.abs(userId.hashCode() % TAGS.size()));
  }

  private final ClusterSharding sharding;
  private final CurrentEventsByPersistenceIdQuery journal;
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  OrderHistoryProjection(ActorSystem<?> system, CurrentEventsByPersistenceIdQuery journal) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.journal = journal;
    this.askTimeout = system.settings().config().getDuration("rampart.user.ask-timeout");
  }

  /** Starts the projection instances (one per tag, somewhere in the cluster). */
  void start() {
    var sessions = JournalJdbcSession.factory(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            TAGS.size(),
            i ->
                ProjectionBehavior.create(
                    JdbcProjection.atLeastOnceAsync(
                        ProjectionId.of(NAME, TAGS.get(i)),
                        source(TAGS.get(i)),
                        sessions,
                        () -> new CatchUpHandler(),
                        system)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private SourceProvider<Offset, EventEnvelope<UserFeed.Event>> source(String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }

  private final class CatchUpHandler extends Handler<EventEnvelope<UserFeed.Event>> {
    @Override
    public CompletionStage<Done> process(EventEnvelope<UserFeed.Event> envelope) {
      String userId = PersistenceId.extractEntityId(envelope.persistenceId());
      return catchUp(userId, envelope.sequenceNr()).thenApply(view -> Done.getInstance());
    }
  }

  /** The user's history once it has applied the feed up to {@code upTo} at least. */
  CompletionStage<OrderHistory.View> catchUp(String userId, long upTo) {
    var history = sharding.entityRefFor(OrderHistory.TYPE_KEY, userId);
    return history
        .ask(OrderHistory.GetView::new, askTimeout)
        .thenCompose(
            view -> {
              if (view.appliedUpTo() >= upTo) {
                return CompletableFuture.completedFuture(view);
              }
              long from = view.appliedUpTo() + 1;
              long to = Math.min(upTo, view.appliedUpTo() + BATCH);
              return journal
                  .currentEventsByPersistenceId(UserFeed.persistenceId(userId).id(), from, to)
                  .mapConcat(e -> entry(e.sequenceNr(), e.event()).stream().toList())
                  .runWith(Sink.seq(), system)
                  .thenCompose(
                      entries ->
                          history.<Long>ask(
                              r -> new OrderHistory.Apply(from, to, List.copyOf(entries), r),
                              askTimeout))
                  .thenCompose(applied -> catchUp(userId, upTo));
            });
  }

  /** What the history uses of one feed event (nothing of the profile's). */
  static Optional<OrderHistory.FeedEntry> entry(long feedSeqNr, Object event) {
    if (event instanceof UserFeed.OrderRecorded e) {
      return Optional.of(
          new OrderHistory.FeedEntry(
              feedSeqNr, e.orderId(), e.orderSequenceNr(), e.status(), e.totalCents(), null));
    }
    if (event instanceof UserFeed.ShipmentNoticeApplied e) {
      return Optional.of(
          new OrderHistory.FeedEntry(feedSeqNr, e.orderId(), 0, null, 0, e.status()));
    }
    return Optional.empty();
  }
}
