package dev.rampart.shipping;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.grpc.GrpcClientSettings;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import dev.rampart.platform.AppliedOffset;
import dev.rampart.platform.GrpcErrors;
import dev.rampart.platform.KafkaSettings;
import dev.rampart.platform.PlatformMetrics;
import dev.rampart.platform.StandardGrpc;
import dev.rampart.proto.shipping.v1.ShipmentExchangeClient;
import dev.rampart.proto.shipping.v1.ShippingService;
import dev.rampart.proto.shipping.v1.ShippingServicePowerApiHandlerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the Shipping service runs on one node, on top of the platform's ActorSystem: the
 * sharded entities, its share of the carrier-booking producers (reliable delivery with durable
 * queues under fixed producer ids), the shipment-events publisher (when Kafka is configured), the
 * singleton link to User (when User is configured) and the gRPC handler.
 */
public final class ShippingNode {
  private final Function<HttpRequest, CompletionStage<HttpResponse>> grpcHandler;

  /**
   * Highest shipment-notice offset User has acknowledged through this node's link (exported as a
   * gauge).
   */
  private final AtomicLong noticesAcked = new AtomicLong();

  private ShippingNode(
      ActorSystem<?> system, Optional<GrpcClientSettings> user, KafkaSettings kafka) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Duration askTimeout = system.settings().config().getDuration("rampart.shipping.ask-timeout");
    Duration carrierLatency =
        system.settings().config().getDuration("rampart.shipping.carrier-latency");
    Carrier carrier = carrier(system);
    sharding.init(
        Entity.of(ShipmentEntity.TYPE_KEY, ctx -> ShipmentEntity.create(ctx.getEntityId())));
    sharding.init(
        Entity.of(
            CustomerAddressEntity.TYPE_KEY,
            ctx -> CustomerAddressEntity.create(ctx.getEntityId())));
    sharding.init(
        Entity.of(
            AddressChangeInbox.TYPE_KEY,
            ctx -> AppliedOffset.create(AddressChangeInbox.TYPE_KEY, ctx.getEntityId())));
    ActorRef<
            akka.cluster.sharding.typed.ShardingEnvelope<
                akka.actor.typed.delivery.ConsumerController.SequencedMessage<CarrierBooking.Book>>>
        bookingRegion =
            sharding.init(
                Entity.of(
                    CarrierBooking.TYPE_KEY,
                    ctx -> CarrierBooking.entity(sharding, askTimeout, carrierLatency, carrier)));

    // A fixed set of producer ids, run by ShardedDaemonProcess: a queue outlives the pod that
    // filled it (see CarrierBookingProducers).
    ActorRef<CarrierBookingProducer.Command> bookings =
        CarrierBookingProducers.start(
            system,
            bookingRegion,
            CarrierBookingProducer.Buffer.registeredIn(PlatformMetrics.get(system).registry()));

    if (kafka.configured()) {
      ShipmentEventsPublisher.start(system, kafka);
    } else {
      system.log().warn("No Kafka bootstrap servers configured: shipment events are not published");
    }

    PlatformMetrics.get(system)
        .registry()
        .gauge("rampart.shipping.exchange.notices.acked", noticesAcked);
    user.ifPresent(
        settings -> {
          JdbcReadJournal journal =
              PersistenceQuery.get(system)
                  .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
          // A stream lives for hours: no per-call deadline (the platform's client default suits
          // unary calls).
          ShipmentExchangeClient client =
              ShipmentExchangeClient.create(
                  settings.withDeadline(scala.concurrent.duration.Duration.Inf()), system);
          ClusterSingleton.get(system)
              .init(
                  SingletonActor.of(
                      Behaviors.supervise(UserExchangeLink.create(client, journal, noticesAcked))
                          .onFailure(SupervisorStrategy.restart()),
                      "user-exchange-link"));
        });

    this.grpcHandler =
        StandardGrpc.handler(
            system,
            List.of(ShippingService.description),
            ShippingServicePowerApiHandlerFactory.create(
                new ShippingServiceImpl(system, bookings, carrier), GrpcErrors.mapper(), system));
  }

  /** The carrier over HTTP when its URL is configured, else the local fallback. */
  private static Carrier carrier(ActorSystem<?> system) {
    var config = system.settings().config().getConfig("rampart.shipping.carrier");
    String url = config.getString("url");
    if (url.isBlank()) {
      system
          .log()
          .info(
              "No carrier egress configured ({}): bookings are made up locally",
              dev.rampart.contract.Env.EGRESS_CARRIER_URL);
      return Carrier.LOCAL;
    }
    system.log().info("Booking parcels with the carrier at {}", url);
    return new HttpCarrier(java.net.URI.create(url), config.getDuration("timeout"));
  }

  /**
   * Starts the node's parts; {@code user} absent: no exchange stream (shipments still work, notices
   * wait in the outbox); Kafka not configured: shipment events are not published.
   */
  public static ShippingNode start(
      ActorSystem<?> system, Optional<GrpcClientSettings> user, KafkaSettings kafka) {
    return new ShippingNode(system, user, kafka);
  }

  public Function<HttpRequest, CompletionStage<HttpResponse>> grpcHandler() {
    return grpcHandler;
  }

  /**
   * The highest shipment-notice offset User has acknowledged to this node (0 when the link runs
   * elsewhere).
   */
  public long noticesAcked() {
    return noticesAcked.get();
  }
}
