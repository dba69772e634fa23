package dev.rampart.user;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import akka.kafka.ConsumerSettings;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.UniqueKillSwitch;
import dev.rampart.platform.AppliedOffset;
import dev.rampart.platform.StandardGrpc;
import dev.rampart.proto.shipping.v1.ShipmentExchange;
import dev.rampart.proto.shipping.v1.ShipmentExchangeHandlerFactory;
import dev.rampart.proto.user.v1.UserService;
import dev.rampart.proto.user.v1.UserServiceHandlerFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Everything the User service runs on one node, on top of the platform's ActorSystem: the sharded
 * entities (feeds, order histories), the order history projection, presence, the Kafka consumer
 * (when Kafka is configured) and the gRPC handler serving UserService and the User side of
 * ShipmentExchange.
 */
public final class UserNode {
  private final UserServiceImpl userService;
  private final ShipmentExchangeService exchange;
  private final Optional<UniqueKillSwitch> orderEvents;
  private final Function<HttpRequest, CompletionStage<HttpResponse>> grpcHandler;

  private UserNode(ActorSystem<?> system, Optional<ConsumerSettings<String, byte[]>> kafka) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(UserFeed.TYPE_KEY, ctx -> UserFeed.create(ctx.getEntityId())));
    sharding.init(Entity.of(OrderHistory.TYPE_KEY, ctx -> OrderHistory.create(ctx.getEntityId())));
    sharding.init(
        Entity.of(
            ShipmentNoticeInbox.TYPE_KEY,
            ctx -> AppliedOffset.create(ShipmentNoticeInbox.TYPE_KEY, ctx.getEntityId())));
    ActorRef<Presence.Command> presence =
        system.systemActorOf(Presence.create(), "user-presence", Props.empty());

    JdbcReadJournal journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    OrderHistoryProjection history = new OrderHistoryProjection(system, journal);
    history.start();
    this.userService = new UserServiceImpl(system, presence, journal, history);
    this.exchange = new ShipmentExchangeService(system, journal);
    this.orderEvents = kafka.map(settings -> OrderEventsConsumer.start(system, settings));
    this.grpcHandler =
        StandardGrpc.handler(
            system,
            List.of(UserService.description, ShipmentExchange.description),
            UserServiceHandlerFactory.create(userService, system),
            ShipmentExchangeHandlerFactory.create(exchange, system));
  }

  /**
   * Starts the node's parts; {@code kafka} absent: no order history (a User node without Kafka
   * still serves).
   */
  public static UserNode start(
      ActorSystem<?> system, Optional<ConsumerSettings<String, byte[]>> kafka) {
    return new UserNode(system, kafka);
  }

  public Function<HttpRequest, CompletionStage<HttpResponse>> grpcHandler() {
    return grpcHandler;
  }

  /** Stops consuming order-events (the rest stops with the ActorSystem). */
  public void stopConsuming() {
    orderEvents.ifPresent(UniqueKillSwitch::shutdown);
  }
}
