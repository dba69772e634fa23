package dev.rampart.order;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.grpc.GrpcServiceException;
import akka.grpc.javadsl.ServiceHandler;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.ConfigFactory;
import dev.rampart.proto.shipping.v1.CreateShipmentRequest;
import dev.rampart.proto.shipping.v1.GetShipmentRequest;
import dev.rampart.proto.shipping.v1.Shipment;
import dev.rampart.proto.shipping.v1.ShippingService;
import dev.rampart.proto.shipping.v1.ShippingServiceHandlerFactory;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.CheckCustomerRequest;
import dev.rampart.proto.user.v1.CustomerCheck;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import dev.rampart.proto.user.v1.UserService;
import dev.rampart.proto.user.v1.UserServiceHandlerFactory;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import dev.rampart.testing.FreePorts;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Small real gRPC peers of Order for its tests: a User server that knows a fixed set of customers
 * (CheckCustomer only), and a Shipping server that records CreateShipment calls (idempotent by
 * order id, like the real one). Both implement the generated interfaces and serve HTTP/2 on
 * loopback.
 */
final class PeerServers implements AutoCloseable {
  final ActorSystem<Void> system =
      ActorSystem.create(
          Behaviors.empty(),
          "peers",
          ConfigFactory.parseString("akka.http.server.enable-http2 = on")
              .withFallback(ConfigFactory.load()));
  final Set<String> customers = ConcurrentHashMap.newKeySet();
  final List<CreateShipmentRequest> shipmentRequests = new CopyOnWriteArrayList<>();
  final ConcurrentHashMap<String, Shipment> shipments = new ConcurrentHashMap<>();

  /** Customers Shipping cannot ship to (answers FAILED_PRECONDITION). */
  final Set<String> unshippable = ConcurrentHashMap.newKeySet();

  /** Customers whose shipments a real carrier reports on (the order is SHIPPED on its pickup). */
  final Set<String> carrierReportsFor = ConcurrentHashMap.newKeySet();

  /** Customers whose shipments Shipping cannot create for now (answers UNAVAILABLE: retried). */
  final Set<String> shippingDownFor = ConcurrentHashMap.newKeySet();

  /** CancelShipment calls, in the order served. */
  final List<dev.rampart.proto.shipping.v1.CancelShipmentRequest> cancelRequests =
      new CopyOnWriteArrayList<>();

  /** Shipments the carrier has picked up (CancelShipment answers FAILED_PRECONDITION). */
  final Set<String> pickedUp = ConcurrentHashMap.newKeySet();

  /** Shipments Shipping cannot cancel for now (answers UNAVAILABLE: retried). */
  final Set<String> cancelDownFor = ConcurrentHashMap.newKeySet();

  /** The traceparent metadata of each call served, as "path traceparent". */
  final List<String> traceparents = new CopyOnWriteArrayList<>();

  /** When set, User answers every call UNAVAILABLE. */
  volatile boolean userUnavailable;

  /** User answers CheckCustomer this late (a User that is slow for now). */
  volatile Duration userDelay = Duration.ZERO;

  private final ServerBinding binding;

  PeerServers(String... knownCustomers) {
    customers.addAll(List.of(knownCustomers));
    var handler =
        ServiceHandler.concatOrNotFound(
            UserServiceHandlerFactory.partial(new Users(), UserService.name, system),
            ShippingServiceHandlerFactory.partial(new Shipping(), ShippingService.name, system));
    try {
      binding =
          Http.get(system)
              .newServerAt("127.0.0.1", FreePorts.on("127.0.0.1"))
              .bind(
                  (akka.japi.function.Function<
                          akka.http.javadsl.model.HttpRequest,
                          java.util.concurrent.CompletionStage<
                              akka.http.javadsl.model.HttpResponse>>)
                      req -> {
                        req.getHeader("traceparent")
                            .ifPresent(
                                h -> traceparents.add(req.getUri().path() + " " + h.value()));
                        return handler.apply(req);
                      })
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code RAMPART_PEER_ENDPOINTS} value pointing Order at these servers. */
  String peerEndpoints() {
    return OrderNode.USER + "=" + hostPort() + "," + OrderNode.SHIPPING + "=" + hostPort();
  }

  /** Where both servers listen. */
  String hostPort() {
    return "127.0.0.1:" + binding.localAddress().getPort();
  }

  @Override
  public void close() {
    system.terminate();
  }

  private final class Users implements UserService {
    @Override
    public CompletionStage<CustomerCheck> checkCustomer(CheckCustomerRequest in) {
      if (userUnavailable) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(Status.UNAVAILABLE.withDescription("down")));
      }
      CustomerCheck check =
          CustomerCheck.newBuilder()
              .setUserId(in.getUserId())
              .setRegistered(customers.contains(in.getUserId()))
              .build();
      Duration delay = userDelay;
      return delay.isZero()
          ? CompletableFuture.completedFuture(check)
          : akka.pattern.Patterns.after(
              delay,
              system.classicSystem().scheduler(),
              system.executionContext(),
              () -> CompletableFuture.completedFuture(check));
    }

    /** Order must not fetch the whole user on its hot path: it checks the customer instead. */
    @Override
    public CompletionStage<User> getUser(GetUserRequest in) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(
              Status.UNIMPLEMENTED.withDescription("Order uses CheckCustomer")));
    }

    @Override
    public CompletionStage<User> register(RegisterRequest in) {
      return CompletableFuture.failedFuture(new GrpcServiceException(Status.UNIMPLEMENTED));
    }

    @Override
    public CompletionStage<User> changeAddress(ChangeAddressRequest in) {
      return CompletableFuture.failedFuture(new GrpcServiceException(Status.UNIMPLEMENTED));
    }

    @Override
    public akka.stream.javadsl.Source<Notification, akka.NotUsed> watchNotifications(
        WatchNotificationsRequest in) {
      return akka.stream.javadsl.Source.failed(new GrpcServiceException(Status.UNIMPLEMENTED));
    }
  }

  private final class Shipping implements ShippingService {
    @Override
    public CompletionStage<Shipment> createShipment(CreateShipmentRequest in) {
      shipmentRequests.add(in);
      if (shippingDownFor.contains(in.getCustomerId())) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(Status.UNAVAILABLE.withDescription("down")));
      }
      Shipment existing = shipments.get(in.getOrderId());
      if (existing != null && existing.getStatus().equals("CANCELLED")) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(Status.FAILED_PRECONDITION.withDescription("cancelled")));
      }
      if (unshippable.contains(in.getCustomerId())) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(
                Status.FAILED_PRECONDITION.withDescription("no address for the customer")));
      }
      Shipment shipment =
          shipments.computeIfAbsent(
              in.getOrderId(),
              id ->
                  Shipment.newBuilder()
                      .setShipmentId(id)
                      .setOrderId(id)
                      .setCustomerId(in.getCustomerId())
                      .setStatus("CREATED")
                      .setCarrierReportsProgress(carrierReportsFor.contains(in.getCustomerId()))
                      .build());
      return CompletableFuture.completedFuture(shipment);
    }

    /**
     * Like the real one: a tombstone for an unknown shipment, idempotent, refused once picked up.
     */
    @Override
    public CompletionStage<Shipment> cancelShipment(
        dev.rampart.proto.shipping.v1.CancelShipmentRequest in) {
      cancelRequests.add(in);
      if (cancelDownFor.contains(in.getShipmentId())) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(Status.UNAVAILABLE.withDescription("down")));
      }
      if (pickedUp.contains(in.getShipmentId())) {
        return CompletableFuture.failedFuture(
            new GrpcServiceException(Status.FAILED_PRECONDITION.withDescription("picked up")));
      }
      return CompletableFuture.completedFuture(
          shipments.compute(
              in.getShipmentId(),
              (id, s) ->
                  (s == null
                          ? Shipment.newBuilder().setShipmentId(id).setOrderId(id)
                          : s.toBuilder())
                      .setStatus("CANCELLED")
                      .build()));
    }

    @Override
    public CompletionStage<Shipment> getShipment(GetShipmentRequest in) {
      Shipment s = shipments.get(in.getShipmentId());
      return s == null
          ? CompletableFuture.failedFuture(new GrpcServiceException(Status.NOT_FOUND))
          : CompletableFuture.completedFuture(s);
    }

    @Override
    public CompletionStage<dev.rampart.proto.shipping.v1.RecordCarrierEventResponse>
        recordCarrierEvent(dev.rampart.proto.shipping.v1.RecordCarrierEventRequest in) {
      return CompletableFuture.failedFuture(new GrpcServiceException(Status.UNIMPLEMENTED));
    }
  }
}
