package dev.rampart.user;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.grpc.GrpcServiceException;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.Sequence;
import akka.persistence.query.javadsl.EventsByTagQuery;
import akka.stream.javadsl.Source;
import dev.rampart.platform.AppliedOffset;
import dev.rampart.platform.PlatformMetrics;
import dev.rampart.proto.shipping.v1.Ack;
import dev.rampart.proto.shipping.v1.AddressChangeEnvelope;
import dev.rampart.proto.shipping.v1.Hello;
import dev.rampart.proto.shipping.v1.ShipmentExchange;
import dev.rampart.proto.shipping.v1.ShipmentNoticeEnvelope;
import dev.rampart.proto.shipping.v1.ShippingToUser;
import dev.rampart.proto.shipping.v1.UserToShipping;
import dev.rampart.proto.user.v1.ShipmentNotice;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The User side of the one bidirectional stream with Shipping (User serves, Shipping connects).
 * Protocol: Shipping's first message is a Hello with the next address-change offset it wants; User
 * answers with a Hello carrying the next shipment-notice offset it wants ({@link
 * ShipmentNoticeInbox}), then streams address changes from its journal (events tagged {@link
 * UserFeed#ADDRESS_TAG}, offset = journal ordering) and acks each notice once the user entity has
 * persisted it and the inbox has recorded it.
 */
public final class ShipmentExchangeService implements ShipmentExchange {
  private static final Logger log = LoggerFactory.getLogger(ShipmentExchangeService.class);

  private final ClusterSharding sharding;
  private final EventsByTagQuery journal;
  private final Duration askTimeout;
  private final AtomicLong addressChangesAcked = new AtomicLong();

  public ShipmentExchangeService(ActorSystem<?> system, EventsByTagQuery journal) {
    this.sharding = ClusterSharding.get(system);
    this.journal = journal;
    this.askTimeout = system.settings().config().getDuration("rampart.user.ask-timeout");
    // Shipping's acks say how far it has durably applied our address changes: exported, so a
    // stalled
    // exchange shows as a flat line next to the journal's growth.
    PlatformMetrics.get(system)
        .registry()
        .gauge("rampart.user.exchange.address.changes.acked", addressChangesAcked);
  }

  @Override
  public Source<UserToShipping, NotUsed> exchange(Source<ShippingToUser, NotUsed> in) {
    return in.prefixAndTail(1)
        .flatMapConcat(
            pair -> {
              List<ShippingToUser> first = pair.first();
              if (first.isEmpty()
                  || !first.get(0).hasHello()
                  || first.get(0).getHello().getResumeFromOffset() < 0) {
                return Source.failed(
                    protocolError(
                        "the first message must be a Hello with resume_from_offset >= 0"));
              }
              long addressesFrom = first.get(0).getHello().getResumeFromOffset();
              Source<ShippingToUser, NotUsed> rest = pair.second();
              return Source.completionStage(noticesAppliedUpTo())
                  .flatMapConcat(
                      applied -> {
                        log.info(
                            "Shipping connected: sending address changes from offset {}, asking for"
                                + " notices from {}",
                            addressesFrom,
                            applied + 1);
                        UserToShipping hello =
                            UserToShipping.newBuilder()
                                .setHello(Hello.newBuilder().setResumeFromOffset(applied + 1))
                                .build();
                        Source<UserToShipping, NotUsed> acks =
                            rest.mapAsync(1, this::handle).mapConcat(replies -> replies);
                        return Source.single(hello)
                            .concat(acks.merge(addressChanges(addressesFrom), true));
                      });
            });
  }

  private CompletionStage<Long> noticesAppliedUpTo() {
    return sharding
        .entityRefFor(ShipmentNoticeInbox.TYPE_KEY, ShipmentNoticeInbox.ID)
        .ask(AppliedOffset.GetAppliedUpTo::new, askTimeout);
  }

  private CompletionStage<List<UserToShipping>> handle(ShippingToUser message) {
    switch (message.getMessageCase()) {
      case NOTICE:
        return apply(message.getNotice())
            .thenApply(
                done ->
                    List.of(
                        UserToShipping.newBuilder()
                            .setAck(Ack.newBuilder().setOffset(message.getNotice().getOffset()))
                            .build()));
      case ACK:
        addressChangesAcked.accumulateAndGet(message.getAck().getOffset(), Math::max);
        return java.util.concurrent.CompletableFuture.completedFuture(List.of());
      default:
        return java.util.concurrent.CompletableFuture.failedFuture(
            protocolError("unexpected message after Hello: " + message.getMessageCase()));
    }
  }

  /**
   * Applies one notice to its user, then records the offset. A failure fails the stream: Shipping
   * resends.
   */
  private CompletionStage<akka.Done> apply(ShipmentNoticeEnvelope envelope) {
    ShipmentNotice n = envelope.getNotice();
    String noticeId = n.getShipmentId() + ":" + n.getStatus();
    log.debug("Applying shipment notice {} at offset {}", noticeId, envelope.getOffset());
    return sharding
        .entityRefFor(UserFeed.TYPE_KEY, envelope.getCustomerId())
        .<UserFeed.Reply>ask(
            replyTo ->
                new UserFeed.ApplyShipmentNotice(
                    noticeId,
                    n.getShipmentId(),
                    n.getOrderId(),
                    n.getStatus(),
                    n.getCarrier(),
                    n.getTrackingCode(),
                    replyTo),
            askTimeout)
        .thenCompose(
            reply -> {
              if (reply instanceof UserFeed.Rejected rejected) {
                log.warn(
                    "Shipment notice {} at offset {} not applied: {}",
                    noticeId,
                    envelope.getOffset(),
                    rejected.message());
              }
              return sharding
                  .entityRefFor(ShipmentNoticeInbox.TYPE_KEY, ShipmentNoticeInbox.ID)
                  .ask(
                      replyTo -> new AppliedOffset.Applied(envelope.getOffset(), replyTo),
                      askTimeout);
            });
  }

  /**
   * Address changes from the journal, live; {@code from} is the first offset wanted (Sequence is
   * exclusive).
   */
  private Source<UserToShipping, NotUsed> addressChanges(long from) {
    return journal
        .eventsByTag(UserFeed.ADDRESS_TAG, Offset.sequence(Math.max(0, from - 1)))
        .map(this::toAddressChange);
  }

  private UserToShipping toAddressChange(EventEnvelope envelope) {
    long offset = ((Sequence) envelope.offset()).value();
    AddressChangeEnvelope.Builder change = AddressChangeEnvelope.newBuilder().setOffset(offset);
    if (envelope.event() instanceof UserFeed.Registered r) {
      change.setUserId(r.userId()).setAddress(UserProtocol.toProto(r.address()));
    } else if (envelope.event() instanceof UserFeed.AddressChanged c) {
      change.setUserId(c.userId()).setAddress(UserProtocol.toProto(c.address()));
    }
    return UserToShipping.newBuilder().setAddressChange(change).build();
  }

  private static GrpcServiceException protocolError(String message) {
    return new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(message));
  }
}
