package dev.rampart.e2e.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.e2e.journey.GatewayClient.Notifications;
import dev.rampart.e2e.journey.GatewayClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The shop's user journey as an outside client lives it, through the gateway only: register, watch
 * notifications, place orders, see them in the user's history (Order → Kafka → User), receive a
 * shipment notice (Order → Shipping → carrier booking → Shipping⇄User stream → pub-sub →
 * WebSocket), and be refused another user's data. Every step prints what it did; a step that does
 * not happen throws {@link JourneyFailure}. Shared by the local runs, the local e2e and the kind
 * e2e, so all of them check the same thing.
 */
public final class ShopJourney {
  private static final int ORDER_QUANTITY = 2;
  private static final int ORDER_UNIT_CENTS = 1500;
  private static final long ORDER_TOTAL_CENTS = 3000;

  private final GatewayClient gateway;
  private final LocalJwtIssuer jwt;
  private final Consumer<String> progress;

  public ShopJourney(GatewayClient gateway, LocalJwtIssuer jwt, Consumer<String> progress) {
    this.gateway = gateway;
    this.jwt = jwt;
    this.progress = progress;
  }

  /** What the journey saw. */
  public record Result(
      String userId, List<String> orderIds, Set<String> historyOrderIds, JsonNode shipmentNotice) {}

  /** A step that did not happen as the journey expects. */
  public static final class JourneyFailure extends RuntimeException {
    public JourneyFailure(String message) {
      super(message);
    }
  }

  public Result run(String userId, int orders, Duration patience) throws InterruptedException {
    String token = jwt.tokenFor(userId);
    Reply registered =
        sendIdempotent(
            "POST",
            "/api/users",
            token,
            Map.of(
                "name",
                "Customer " + userId,
                "email",
                userId + "@example.com",
                "address",
                Map.of(
                    "street",
                    "1 Main St",
                    "city",
                    "Springfield",
                    "postalCode",
                    "12345",
                    "country",
                    "US")),
            patience);
    progress.accept("registered user " + userId + " (HTTP " + registered.status() + ")");

    Notifications notifications = gateway.watch(userId, token);
    try {
      eventually(
          patience,
          "user " + userId + " shows online after opening the WebSocket",
          () ->
              gateway
                  .send("GET", "/api/users/" + userId, token, null)
                  .body()
                  .path("online")
                  .asBoolean());
      progress.accept("WebSocket open; " + userId + " is online (presence via Distributed Data)");

      List<String> orderIds = new ArrayList<>();
      for (int i = 1; i <= orders; i++) {
        // the client's key; the gateway answers with the order's id, scoped to the customer
        String orderKey = userId + "-order-" + i;
        AtomicInteger attempts = new AtomicInteger();
        Reply placed = placeOrder(token, orderKey, patience, attempts);
        JsonNode body = placed.body();
        String orderId = body.path("id").asText();
        // placing confirms at once; only a retry of a placement that went through may find the
        // order further on (shipped by then)
        Set<String> expectedStatus =
            attempts.get() == 1 ? Set.of("CONFIRMED") : Set.of("CONFIRMED", "SHIPPED");
        expect(
            !orderId.isEmpty()
                && !orderId.equals(orderKey)
                && body.path("customerId").asText().equals(userId)
                && expectedStatus.contains(body.path("status").asText())
                && body.path("totalCents").asLong() == ORDER_TOTAL_CENTS,
            "order "
                + orderKey
                + " is placed for "
                + userId
                + ", "
                + expectedStatus
                + ", total "
                + ORDER_TOTAL_CENTS
                + " cents",
            placed);
        orderIds.add(orderId);
        progress.accept(
            "placed "
                + orderKey
                + " as "
                + orderId
                + ": "
                + placed.body().path("status").asText()
                + ", total "
                + placed.body().path("totalCents").asLong()
                + " cents");
      }

      Set<String> history = new java.util.HashSet<>();
      eventually(
          patience,
          "orders " + orderIds + " appear in " + userId + "'s history (via Kafka order-events)",
          () -> {
            Reply user = gateway.send("GET", "/api/users/" + userId, token, null);
            history.clear();
            history.addAll(
                StreamSupport.stream(user.body().path("orders").spliterator(), false)
                    .map(o -> o.path("orderId").asText())
                    .collect(Collectors.toSet()));
            return history.containsAll(orderIds);
          });
      progress.accept(
          "user history holds " + history.size() + " orders: " + new java.util.TreeSet<>(history));

      JsonNode notice = notifications.await("shipmentNotice", patience);
      if (notice == null) {
        throw new JourneyFailure(
            "no shipment notice reached " + userId + "'s WebSocket within " + patience);
      }
      JsonNode shipment = notice.path("shipmentNotice");
      if (!notice.path("userId").asText().equals(userId)
          || !orderIds.contains(shipment.path("orderId").asText())
          || !shipment.path("shipmentId").asText().equals(shipment.path("orderId").asText())
          || !shipment.path("status").asText().equals("BOOKED")) {
        throw new JourneyFailure(
            "the shipment notice is not a BOOKED shipment of one of "
                + userId
                + "'s orders "
                + orderIds
                + ": "
                + notice);
      }
      progress.accept("WebSocket received shipment notice: " + shipment);

      Reply foreign =
          gateway.send("GET", "/api/users/" + userId, jwt.tokenFor(userId + "-intruder"), null);
      expect(foreign.status() == 403, "another user reading " + userId + " is refused", foreign);
      Reply invalid =
          gateway.send(
              "POST", "/api/orders", token, Map.of("orderId", "not valid!", "lines", List.of()));
      expect(invalid.status() == 400, "an invalid order is a 400 problem", invalid);
      progress.accept(
          "another user's token gets 403; an invalid order gets 400 ("
              + invalid.body().path("title").asText()
              + ")");
      return new Result(userId, orderIds, history, notice);
    } finally {
      notifications.close();
    }
  }

  /** One status of an order as the client saw it, and when it first did. */
  public record Milestone(String status, java.time.Instant seenAt) {}

  private static final List<String> ORDER_LIFECYCLE =
      List.of("PLACED", "CONFIRMED", "SHIPPED", "DELIVERED");

  /**
   * Follows the orders through the gateway until every one is DELIVERED: the carrier picked the
   * parcel up and delivered it, reported by its webhooks through the gateway to Shipping, published
   * on shipment-events and consumed by Order. Records when each status was first seen, prints each
   * order's timeline, and fails if an order ever moves backwards.
   */
  public Map<String, List<Milestone>> awaitDelivered(
      String userId, List<String> orderIds, Duration patience) throws InterruptedException {
    String token = jwt.tokenFor(userId);
    Map<String, List<Milestone>> timelines = new java.util.LinkedHashMap<>();
    orderIds.forEach(id -> timelines.put(id, new ArrayList<>()));
    eventually(
        patience,
        "orders " + orderIds + " of " + userId + " are DELIVERED",
        () -> {
          boolean all = true;
          for (String id : orderIds) {
            Reply reply = gateway.send("GET", "/api/orders/" + id, token, null);
            String status = reply.status() == 200 ? reply.body().path("status").asText() : "";
            List<Milestone> seen = timelines.get(id);
            String last = seen.isEmpty() ? "" : seen.get(seen.size() - 1).status();
            if (!status.isEmpty() && !status.equals(last)) {
              if (ORDER_LIFECYCLE.indexOf(status) < ORDER_LIFECYCLE.indexOf(last)) {
                throw new JourneyFailure(
                    "order " + id + " moved back from " + last + " to " + status);
              }
              seen.add(new Milestone(status, java.time.Instant.now()));
            }
            all &= status.equals("DELIVERED");
          }
          return all;
        });
    timelines.forEach(
        (id, seen) ->
            progress.accept(
                "order "
                    + id
                    + " timeline: "
                    + seen.stream()
                        .map(
                            m ->
                                m.status()
                                    + " +"
                                    + Duration.between(seen.get(0).seenAt(), m.seenAt()).toMillis()
                                    + " ms")
                        .collect(Collectors.joining(" -> "))));
    return timelines;
  }

  /**
   * Places an order; PlaceOrder is idempotent per order id, so it is retried while the system is
   * unavailable.
   */
  public Reply placeOrder(String token, String orderId, Duration patience)
      throws InterruptedException {
    return placeOrder(token, orderId, patience, new AtomicInteger());
  }

  private Reply placeOrder(String token, String orderId, Duration patience, AtomicInteger attempts)
      throws InterruptedException {
    return sendIdempotent(
        "POST",
        "/api/orders",
        token,
        Map.of(
            "orderId",
            orderId,
            "lines",
            List.of(
                Map.of(
                    "sku",
                    "book",
                    "quantity",
                    ORDER_QUANTITY,
                    "unitPriceCents",
                    ORDER_UNIT_CENTS))),
        patience,
        attempts);
  }

  /**
   * Sends an idempotent request as a well-behaved client does: retried while the answer says "try
   * again" (502/503/504, or no connection — e.g. while shards move after a failover) until patience
   * runs out; any other non-2xx answer fails at once.
   */
  private Reply sendIdempotent(
      String method, String path, String token, Object body, Duration patience)
      throws InterruptedException {
    return sendIdempotent(method, path, token, body, patience, new AtomicInteger());
  }

  private Reply sendIdempotent(
      String method,
      String path,
      String token,
      Object body,
      Duration patience,
      AtomicInteger attempts)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      attempts.incrementAndGet();
      Reply reply = gateway.send(method, path, token, body);
      if (reply.status() == 200 || reply.status() == 201) {
        return reply;
      }
      boolean retriable =
          reply.status() == 503
              || reply.status() == 504
              || reply.status() == 502
              || reply.status() < 0;
      if (!retriable || System.nanoTime() > deadline) {
        throw new JourneyFailure(
            method + " " + path + " failed: HTTP " + reply.status() + " " + reply.body());
      }
      Thread.sleep(500);
    }
  }

  private static void expect(boolean condition, String what, Reply reply) {
    if (!condition) {
      throw new JourneyFailure(what + ": got HTTP " + reply.status() + " " + reply.body());
    }
  }

  private static void eventually(
      Duration patience, String what, java.util.function.BooleanSupplier check)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new JourneyFailure("not within " + patience + ": " + what);
      }
      Thread.sleep(500);
    }
  }
}
