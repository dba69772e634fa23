package dev.rampart.shipping;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.japi.Pair;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.Sequence;
import akka.persistence.query.javadsl.EventsByTagQuery;
import akka.stream.BoundedSourceQueue;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.rampart.platform.AppliedOffset;
import dev.rampart.proto.shipping.v1.Ack;
import dev.rampart.proto.shipping.v1.AddressChangeEnvelope;
import dev.rampart.proto.shipping.v1.Hello;
import dev.rampart.proto.shipping.v1.ShipmentExchangeClient;
import dev.rampart.proto.shipping.v1.ShipmentNoticeEnvelope;
import dev.rampart.proto.shipping.v1.ShippingToUser;
import dev.rampart.proto.shipping.v1.UserToShipping;
import dev.rampart.proto.user.v1.ShipmentNotice;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shipping's end of the one bidirectional stream with User (Shipping connects; run as a cluster
 * singleton so there is exactly one stream per Shipping cluster). Each connection starts with a
 * Hello carrying the next address-change offset Shipping wants ({@link AddressChangeInbox}); User
 * answers with the next notice offset it wants, and from there Shipping streams its notice outbox
 * (journal events tagged {@link ShipmentEntity#NOTICE_TAG}) while applying User's address changes
 * and acking each once durable. Any failure or end of the connection reconnects with backoff and
 * resumes from the persisted offsets.
 */
public final class UserExchangeLink {
  private static final Logger log = LoggerFactory.getLogger(UserExchangeLink.class);

  /**
   * {@code noticesAcked} receives the highest notice offset User has acknowledged (a metric of the
   * node).
   */
  public static Behavior<Void> create(
      ShipmentExchangeClient client, EventsByTagQuery journal, AtomicLong noticesAcked) {
    return Behaviors.setup(
        ctx -> {
          ActorSystem<?> system = ctx.getSystem();
          com.typesafe.config.Config config =
              system.settings().config().getConfig("rampart.shipping.exchange");
          RestartSettings restart =
              RestartSettings.create(
                  config.getDuration("min-backoff"), config.getDuration("max-backoff"), 0.2);
          Connection connection =
              new Connection(
                  system,
                  client,
                  journal,
                  system.settings().config().getDuration("rampart.shipping.ask-timeout"),
                  noticesAcked);
          UniqueKillSwitch killSwitch =
              RestartSource.withBackoff(restart, connection::open)
                  .viaMat(KillSwitches.single(), Keep.right())
                  .to(Sink.ignore())
                  .run(system);
          return Behaviors.receive(Void.class)
              .onSignal(
                  PostStop.class,
                  s -> {
                    killSwitch.shutdown();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** One connection attempt: its own Hello, outbox reader and ack queue. */
  private record Connection(
      ActorSystem<?> system,
      ShipmentExchangeClient client,
      EventsByTagQuery journal,
      Duration askTimeout,
      AtomicLong noticesAcked) {

    Source<Done, NotUsed> open() {
      ClusterSharding sharding = ClusterSharding.get(system);
      return Source.completionStage(
              sharding
                  .entityRefFor(AddressChangeInbox.TYPE_KEY, AddressChangeInbox.ID)
                  .ask(AppliedOffset.GetAppliedUpTo::new, askTimeout))
          .flatMapConcat(
              applied -> {
                CompletableFuture<Long> noticesFrom = new CompletableFuture<>();
                Pair<BoundedSourceQueue<ShippingToUser>, Source<ShippingToUser, NotUsed>> acks =
                    Source.<ShippingToUser>queue(1024).preMaterialize(system);
                ShippingToUser hello =
                    ShippingToUser.newBuilder()
                        .setHello(Hello.newBuilder().setResumeFromOffset(applied + 1))
                        .build();
                Source<ShippingToUser, NotUsed> notices =
                    Source.completionStage(noticesFrom)
                        .flatMapConcat(
                            from ->
                                journal.eventsByTag(
                                    ShipmentEntity.NOTICE_TAG,
                                    Offset.sequence(Math.max(0, from - 1))))
                        .map(Connection::toNotice)
                        .map(
                            notice -> {
                              log.debug(
                                  "Sending notice for {} at offset {}",
                                  notice.getNotice().getNotice().getShipmentId(),
                                  notice.getNotice().getOffset());
                              return notice;
                            });
                log.info(
                    "Connecting to User: asking for address changes from offset {}", applied + 1);
                return client
                    .exchange(Source.single(hello).concat(notices.merge(acks.second())))
                    .mapAsync(1, message -> handle(sharding, message, noticesFrom, acks.first()))
                    .watchTermination(
                        (mat, done) -> {
                          done.whenComplete(
                              (d, failure) -> {
                                acks.first().complete();
                                log.info(
                                    "Exchange with User ended{}",
                                    failure == null ? "" : ": " + failure);
                              });
                          return mat;
                        });
              });
    }

    private CompletionStage<Done> handle(
        ClusterSharding sharding,
        UserToShipping message,
        CompletableFuture<Long> noticesFrom,
        BoundedSourceQueue<ShippingToUser> acks) {
      switch (message.getMessageCase()) {
        case HELLO -> {
          log.info(
              "User asks for shipment notices from offset {}",
              message.getHello().getResumeFromOffset());
          noticesFrom.complete(message.getHello().getResumeFromOffset());
          return CompletableFuture.completedFuture(Done.getInstance());
        }
        case ADDRESS_CHANGE -> {
          AddressChangeEnvelope change = message.getAddressChange();
          return sharding
              .entityRefFor(CustomerAddressEntity.TYPE_KEY, change.getUserId())
              .<Done>ask(
                  replyTo ->
                      new CustomerAddressEntity.ApplyChange(
                          change.getOffset(),
                          ShippingProtocol.fromProto(change.getAddress()),
                          replyTo),
                  askTimeout)
              .thenCompose(
                  done ->
                      sharding
                          .entityRefFor(AddressChangeInbox.TYPE_KEY, AddressChangeInbox.ID)
                          .<Done>ask(
                              replyTo -> new AppliedOffset.Applied(change.getOffset(), replyTo),
                              askTimeout))
              .thenApply(
                  done -> {
                    acks.offer(
                        ShippingToUser.newBuilder()
                            .setAck(Ack.newBuilder().setOffset(change.getOffset()))
                            .build());
                    return done;
                  });
        }
        case ACK -> {
          log.debug("User applied shipment notices up to {}", message.getAck().getOffset());
          noticesAcked.accumulateAndGet(message.getAck().getOffset(), Math::max);
          return CompletableFuture.completedFuture(Done.getInstance());
        }
        default -> {
          return CompletableFuture.failedFuture(
              new IllegalStateException("unexpected message from User: " + message));
        }
      }
    }

    private static ShippingToUser toNotice(EventEnvelope envelope) {
      ShipmentNotice.Builder notice = ShipmentNotice.newBuilder();
      String customerId;
      if (envelope.event() instanceof ShipmentEntity.CarrierStatusChanged changed) {
        notice
            .setShipmentId(changed.shipmentId())
            .setOrderId(changed.shipmentId())
            .setStatus(changed.status().name());
        customerId = changed.customerId();
      } else {
        ShipmentEntity.ShipmentBooked booked = (ShipmentEntity.ShipmentBooked) envelope.event();
        notice
            .setShipmentId(booked.shipmentId())
            .setOrderId(booked.shipmentId())
            .setStatus(ShipmentEntity.Status.BOOKED.name())
            .setCarrier(booked.carrier())
            .setTrackingCode(booked.trackingCode());
        customerId = booked.customerId();
      }
      return ShippingToUser.newBuilder()
          .setNotice(
              ShipmentNoticeEnvelope.newBuilder()
                  .setOffset(((Sequence) envelope.offset()).value())
                  .setNotice(notice)
                  .setCustomerId(customerId))
          .build();
    }
  }

  private UserExchangeLink() {}
}
