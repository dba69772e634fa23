package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.OrderTraffic;
import dev.rampart.e2e.journey.ShopJourney;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.awaitility.core.TerminalFailureException;

/**
 * Day 2 of the shop on the local cluster, the Akka way: a service scaled up and down under traffic
 * without a pod restarted, every service rolled in turn under open-loop load with no order lost and
 * one cluster each, and a Shipping pod holding unconfirmed carrier bookings replaced with every
 * booking completed once. Each step prints its figures.
 */
final class DayTwoSteps {
  static final String SCALED = "user";

  /** The carrier's answer is slowed to this for the rollout and the replacement step. */
  static final String CARRIER_LATENCY_ENV = "SHIPPING_CARRIER_LATENCY_MS";

  static final int CARRIER_LATENCY_MS = 6000;

  /** Order runs 3 pods for its rollout (the figure the docs quote: a 3-pod service). */
  static final int ORDER_ROLLOUT_REPLICAS = 3;

  /**
   * The services the rollout step rolls, in turn (a comma-separated subset of order, user, shipping
   * and gateway, to measure one rollout alone); all four unless set.
   */
  static final String ROLLED = "rampart.e2e.rolled";

  static final double SCALE_RATE = 5;
  static final double ROLLOUT_RATE = 15;

  /** At most this share of the rollout's requests may fail, each a 503 with Retry-After. */
  static final double FAILURE_BOUND = 0.005;

  /**
   * The traffic's customers, many: thousands of orders on a few customers would make each one's
   * history bigger than Akka remoting's frame size (UserEntity replies with the whole state:
   * "Failed to serialize oversized message" in User), which is not what these steps are about.
   */
  private static final List<String> CUSTOMERS =
      java.util.stream.IntStream.range(0, 60)
          .mapToObj(i -> String.format("shopper%02d", i))
          .toList();

  private static final String PARCEL_CUSTOMER = "ivan";
  private static final int PARCELS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalKubernetesShop shop;
  private final ShopChanges changes;
  private final ShopJournal journal;
  private final Consumer<String> progress;

  DayTwoSteps(LocalKubernetesShop shop, Consumer<String> progress) {
    this.shop = shop;
    this.changes = new ShopChanges(shop);
    this.journal = new ShopJournal(shop.database());
    this.progress = progress;
  }

  // --- scale without restart ---------------------------------------------------------------

  void scaleWithoutRestart() {
    register(CUSTOMERS);
    int replicas = changes.deployment(SCALED).getSpec().getReplicas();
    int up = replicas + 2;
    awaitMembers(SCALED, replicas);
    Map<String, Pod> before = byName(changes.pods(SCALED));
    OrderTraffic.Report report;
    try (OrderTraffic traffic =
        OrderTraffic.start(this::readyGateways, tokens(CUSTOMERS), "scale", SCALE_RATE)) {
      report = scaleUpAndDown(traffic, replicas, up, before);
    } catch (AssertionError | RuntimeException e) {
      changes.scale(SCALED, replicas); // the next steps expect the sample's size
      throw e;
    }
    progress.accept("orders during the scaling: " + report.summary());
    assertNoOrderLost(report);
  }

  private OrderTraffic.Report scaleUpAndDown(
      OrderTraffic traffic, int replicas, int up, Map<String, Pod> before) {
    Instant t0 = Instant.now();
    changes.scale(SCALED, up);
    awaitMembers(SCALED, up);
    progress.accept(
        SCALED + " " + replicas + " → " + up + ": " + up + " Akka members Up after " + since(t0));
    Map<String, Pod> scaledUp = byName(changes.pods(SCALED));
    assertThat(scaledUp.keySet())
        .as("every pod is still there after the scale-up")
        .containsAll(before.keySet());
    assertStayed(before, scaledUp);
    String oldest = oldestMember(SCALED);
    progress.accept("oldest " + SCALED + " member before the scale-down: " + oldest);

    Instant t1 = Instant.now();
    changes.scale(SCALED, replicas);
    awaitMembers(SCALED, replicas);
    changes.awaitNoPodTerminating(SCALED, Duration.ofMinutes(3));
    progress.accept(
        SCALED
            + " "
            + up
            + " → "
            + replicas
            + ": "
            + replicas
            + " Akka members Up after "
            + since(t1));
    Map<String, Pod> after = byName(changes.pods(SCALED));
    assertThat(scaledUp.keySet())
        .as("no pod is new after the scale-down")
        .containsAll(after.keySet());
    assertStayed(scaledUp, after);
    assertThat(after.values().stream().map(p -> p.getStatus().getPodIP()))
        .as("the oldest member's pod " + oldest + " is still there")
        .contains(oldest);
    assertThat(oldestMember(SCALED)).as("the oldest member").isEqualTo(oldest);
    return traffic.stop();
  }

  /** The pods in both sets are the same pods (same UID), never restarted. */
  private void assertStayed(Map<String, Pod> earlier, Map<String, Pod> later) {
    earlier.forEach(
        (name, pod) -> {
          Pod now = later.get(name);
          if (now == null) {
            return;
          }
          assertThat(now.getMetadata().getUid())
              .as(name + " keeps its UID")
              .isEqualTo(pod.getMetadata().getUid());
          assertThat(now.getStatus().getContainerStatuses())
              .as(name + " was never restarted")
              .allSatisfy(c -> assertThat(c.getRestartCount()).isZero());
        });
    assertThat(later.keySet()).as("pods that stay").containsAnyElementsOf(earlier.keySet());
  }

  /**
   * The service has exactly {@code replicas} pods, all Ready, and every one of them, as the system
   * status, counts that many Up members.
   */
  private void awaitMembers(String service, int replicas) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<Pod> pods = live(changes.pods(service));
              assertThat(pods).as(service + " pods").hasSize(replicas);
              assertThat(shop.readyPods(service)).as(service + " Ready pods").hasSize(replicas);
              assertThat(changes.membersUp(service)).as("status: members Up").isEqualTo(replicas);
              for (Pod pod : pods) {
                Optional<AkkaClusterView> view = AkkaClusterView.of(pod);
                assertThat(view).as(pod.getMetadata().getName() + " answers").isPresent();
                assertThat(view.get().up())
                    .as(pod.getMetadata().getName() + ": members Up in " + view.get())
                    .isEqualTo(replicas);
              }
            });
  }

  private String oldestMember(String service) {
    Set<String> oldest =
        live(changes.pods(service)).stream()
            .map(AkkaClusterView::of)
            .flatMap(Optional::stream)
            .map(AkkaClusterView::oldest)
            .collect(Collectors.toSet());
    assertThat(oldest).as("every " + service + " pod names one oldest member").hasSize(1);
    return oldest.iterator().next();
  }

  // --- rolling update under load -----------------------------------------------------------

  /** What one service's rollout took. */
  record Rollout(
      String service,
      int replicas,
      String appVersions,
      Duration rolledOut,
      Duration oldPodsGone,
      int requests,
      int failed) {
    @Override
    public String toString() {
      return service
          + " ("
          + replicas
          + " pods, app-version "
          + appVersions
          + "): rolled out in "
          + rolledOut.toSeconds()
          + " s, last old pod gone after "
          + oldPodsGone.toSeconds()
          + " s; "
          + failed
          + " of "
          + requests
          + " requests failed meanwhile";
    }
  }

  void rollingUpdateUnderLoad() {
    register(CUSTOMERS);
    List<String> toRoll =
        List.of(System.getProperty(ROLLED, "order,user,shipping,gateway").split(","));
    List<String> services =
        List.of("order", "user", "shipping").stream().filter(toRoll::contains).toList();
    Instant s0 = Instant.now();
    changes.scale("order", ORDER_ROLLOUT_REPLICAS);
    awaitMembers("order", ORDER_ROLLOUT_REPLICAS);
    progress.accept("order scaled to " + ORDER_ROLLOUT_REPLICAS + " pods in " + since(s0));

    List<Rollout> rollouts = new ArrayList<>();
    OrderTraffic.Report report;
    Map<String, ClusterWatch.Seen> clusters;
    Instant rolling;
    try (ClusterWatch watch = new ClusterWatch(shop, services);
        OrderTraffic traffic =
            OrderTraffic.start(this::readyGateways, tokens(CUSTOMERS), "roll", ROLLOUT_RATE)) {
      rolling = awaitSteady(traffic);
      for (String service : services) {
        int version = changes.appVersion(service);
        Instant t0 = Instant.now();
        if (service.equals("shipping")) {
          changes.setEnv(service, CARRIER_LATENCY_ENV, String.valueOf(CARRIER_LATENCY_MS));
        } else {
          changes.setEnv(service, "DAY2_ROLLOUT", "1");
        }
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> changes.appVersion(service) > version);
        rollouts.add(
            awaitRollout(service, version + " → " + changes.appVersion(service), t0, traffic));
        int rolled = changes.appVersion(service);
        assertThat(rolled).as(service + " app-version rises by one").isEqualTo(version + 1);
        assertThat(changes.templateAppVersion(service))
            .as(service + "'s pod template " + Env.APP_VERSION)
            .isEqualTo(String.valueOf(rolled));
        assertThat(changes.pods(service))
            .as("every " + service + " pod runs app-version " + rolled)
            .allSatisfy(
                p ->
                    assertThat(p.getSpec().getContainers().get(0).getEnv())
                        .anySatisfy(
                            e -> {
                              assertThat(e.getName()).isEqualTo(Env.APP_VERSION);
                              assertThat(e.getValue()).isEqualTo(String.valueOf(rolled));
                            }));
      }
      if (toRoll.contains(Labels.GATEWAY_SERVICE_NAME)) {
        rollouts.add(rollGateway(traffic));
      }
      report = traffic.stop();
      clusters = watch.seen();
    }

    OrderTraffic.Report before =
        new OrderTraffic.Report(
            report.outcomes().stream().filter(o -> o.sentAt().isBefore(rolling)).toList());
    progress.accept(
        "orders at " + ROLLOUT_RATE + "/s before the first rollout: " + before.summary());
    OrderTraffic.Report during =
        new OrderTraffic.Report(
            report.outcomes().stream().filter(o -> !o.sentAt().isBefore(rolling)).toList());
    progress.accept("orders at " + ROLLOUT_RATE + "/s during the rollouts: " + during.summary());
    rollouts.forEach(r -> progress.accept("rollout of " + r));
    clusters.forEach((service, seen) -> progress.accept(service + " cluster: " + seen));
    clusters.forEach(
        (service, seen) ->
            seen.disagreements.stream().limit(5).forEach(d -> progress.accept("  " + d)));

    assertNoOrderLost(report);
    clusters.forEach(
        (service, seen) -> {
          assertThat(seen.rounds).as(service + ": cluster views taken").isGreaterThan(10);
          assertThat(seen.splits).as(service + " formed two clusters").isEmpty();
          // a leader leaving is seen by the others within a gossip round or two
          assertThat(seen.longestLeaderDisagreement)
              .as(service + ": rounds in a row with two leaders")
              .isLessThanOrEqualTo(3);
        });
    assertThat(report.clientErrors()).as("4xx answers").isEmpty();
    List<OrderTraffic.Outcome> failed = new ArrayList<>(during.serverErrors());
    failed.addAll(during.unanswered());
    assertThat(failed.size())
        .as("failed requests (5xx or no answer) of " + during.sent() + " during the rollouts")
        .isLessThanOrEqualTo((int) Math.floor(during.sent() * FAILURE_BOUND));
    assertThat(failed)
        .as("every failure is a 503 with Retry-After")
        .allSatisfy(
            o -> {
              assertThat(o.status()).isEqualTo(503);
              assertThat(o.retryAfter()).isTrue();
            });
  }

  /**
   * Waits until the traffic runs steady (every order sent in a 10 s window answered 2xx), so that
   * what the rollouts are measured by is the rollouts, not the shop's first orders at this rate
   * (new shards allocated, Kafka and User catching up). Returns when the rollouts start.
   */
  private Instant awaitSteady(OrderTraffic traffic) {
    Instant t0 = Instant.now();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Instant now = Instant.now();
              List<OrderTraffic.Outcome> window =
                  traffic.snapshot().outcomes().stream()
                      .filter(
                          o ->
                              o.sentAt().isAfter(now.minusSeconds(25))
                                  && o.sentAt().isBefore(now.minusSeconds(15)))
                      .toList();
              assertThat(window).as("orders sent in the window").hasSizeGreaterThan(100);
              assertThat(window)
                  .as("orders answered 2xx in the window")
                  .allSatisfy(o -> assertThat(o.status()).isIn(200, 201));
            });
    progress.accept("traffic steady at " + ROLLOUT_RATE + "/s after " + since(t0));
    return Instant.now();
  }

  private Rollout rollGateway(OrderTraffic traffic) {
    long generation = changes.deployment(Labels.GATEWAY_SERVICE_NAME).getMetadata().getGeneration();
    Instant t0 = Instant.now();
    changes.patch(
        "[{\"op\":\"add\",\"path\":\"/spec/gateway/corsAllowedOrigins\","
            + "\"value\":[\"https://day2.rampart.test\"]}]");
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                changes.deployment(Labels.GATEWAY_SERVICE_NAME).getMetadata().getGeneration()
                    > generation);
    return awaitRollout(Labels.GATEWAY_SERVICE_NAME, "-", t0, traffic);
  }

  private Rollout awaitRollout(String service, String versions, Instant t0, OrderTraffic traffic) {
    changes.awaitRolledOut(service, Duration.ofMinutes(6));
    Duration rolledOut = Duration.between(t0, Instant.now());
    changes.awaitNoPodTerminating(service, Duration.ofMinutes(3));
    Duration gone = Duration.between(t0, Instant.now());
    List<OrderTraffic.Outcome> during =
        traffic.snapshot().outcomes().stream().filter(o -> !o.sentAt().isBefore(t0)).toList();
    int failed = (int) during.stream().filter(o -> o.status() >= 500 || o.status() < 0).count();
    Rollout rollout =
        new Rollout(
            service,
            changes.deployment(service).getSpec().getReplicas(),
            versions,
            rolledOut,
            gone,
            during.size(),
            failed);
    progress.accept("rollout of " + rollout);
    return rollout;
  }

  // --- a Shipping pod with pending bookings replaced ---------------------------------------

  void shippingPodWithPendingBookingsReplaced() {
    assertThat(changes.deployment("shipping").getSpec().getTemplate().getSpec().getContainers())
        .as("Shipping's carrier is slow (set by the rollout step)")
        .anySatisfy(
            c ->
                assertThat(c.getEnv())
                    .anySatisfy(e -> assertThat(e.getName()).isEqualTo(CARRIER_LATENCY_ENV)));
    register(List.of(PARCEL_CUSTOMER));
    // placed as a well-behaved client does (retrying 503/504: placing is idempotent), back to back:
    // this step is about the bookings, whatever the gateway answered a moment ago
    String token = shop.jwt().tokenFor(PARCEL_CUSTOMER);
    ShopJourney client =
        new ShopJourney(new GatewayClient(shop.gatewayUrl()), shop.jwt(), progress);
    Set<String> orders = new TreeSet<>();
    Instant placing = Instant.now();
    for (int i = 1; i <= PARCELS; i++) {
      try {
        orders.add(
            client
                .placeOrder(token, "parcel-" + i, Duration.ofMinutes(1))
                .body()
                .path("id")
                .asText());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    progress.accept(PARCELS + " parcel orders placed in " + since(placing));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> journal.shipmentEvents(orders, "ShipmentCreated").size() == orders.size());
    int booked = journal.shipmentEvents(orders, "ShipmentBooked").size();
    Pod victim = podRunningMostProducers();
    int pending = orders.size() - booked;
    Instant t0 = Instant.now();
    shop.client()
        .pods()
        .inNamespace(ShopCluster.NAMESPACE)
        .withName(victim.getMetadata().getName())
        .delete();
    progress.accept(
        "deleted "
            + victim.getMetadata().getName()
            + " with "
            + pending
            + " of "
            + orders.size()
            + " shipments created but not booked yet");
    assertThat(pending).as("bookings pending when the pod goes").isPositive();

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(journal.shipmentEvents(orders, "ShipmentBooked").keySet())
                    .as("shipments booked")
                    .containsExactlyInAnyOrderElementsOf(orders));
    progress.accept("every parcel shipment booked " + since(t0) + " after the deletion");
    changes.awaitRolledOut("shipping", Duration.ofMinutes(4));
    // a redelivered booking would show up as a second ShipmentBooked: watch for a while
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(journal.shipmentEvents(orders, "ShipmentBooked"))
                    .as("ShipmentBooked events per shipment")
                    .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1)));
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Map<String, String> shipments = new TreeMap<>();
              history(PARCEL_CUSTOMER, token)
                  .forEach(
                      o ->
                          shipments.put(
                              o.path("orderId").asText(), o.path("shipmentStatus").asText()));
              assertThat(shipments)
                  .as(PARCEL_CUSTOMER + "'s history")
                  .containsAllEntriesOf(
                      orders.stream()
                          .collect(Collectors.toMap(Function.identity(), id -> "BOOKED")));
            });
    progress.accept(
        "each of the "
            + orders.size()
            + " shipments booked exactly once; the history shows BOOKED");
  }

  /**
   * The Shipping pod whose region hosts the most carrier-booking producer instances (the
   * ShardedDaemonProcess entities), from Akka Management's shard view; the first pod when none
   * answers.
   */
  private Pod podRunningMostProducers() {
    List<Pod> pods = shop.readyPods("shipping");
    Map<String, Integer> instances = new LinkedHashMap<>();
    Pod most = pods.get(0);
    int max = -1;
    for (Pod pod : pods) {
      int n = producerInstances(pod);
      instances.put(pod.getMetadata().getName(), n);
      if (n > max) {
        max = n;
        most = pod;
      }
    }
    progress.accept("carrier-booking producer instances per Shipping pod: " + instances);
    return most;
  }

  private static int producerInstances(Pod pod) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + pod.getStatus().getPodIP()
                              + ":"
                              + Ports.MANAGEMENT
                              + "/cluster/shards/sharded-daemon-process-carrier-booking-producers"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return 0;
      }
      int n = 0;
      for (JsonNode region : JSON.readTree(response.body()).path("regions")) {
        n += region.path("numEntities").asInt();
      }
      return n;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  // --- shared ------------------------------------------------------------------------------

  /**
   * Every acknowledged order is in its customer's history (through the gateway) and in Order's
   * journal; a sample also answers GET /api/orders/{id} with 200 through the gateway.
   */
  private void assertNoOrderLost(OrderTraffic.Report report) {
    Map<String, String> acknowledged = report.acknowledged();
    assertThat(acknowledged).as("acknowledged orders").isNotEmpty();
    assertThat(journal.ordersInJournal(acknowledged.keySet()))
        .as("acknowledged orders in Order's journal")
        .containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
    Map<String, List<String>> byCustomer =
        acknowledged.entrySet().stream()
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getValue,
                    Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    Instant t0 = Instant.now();
    // one deadline for all: User reads order-events from Kafka, and may be minutes behind after
    // thousands of orders on two cores
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                byCustomer.forEach(
                    (customer, ids) ->
                        assertThat(
                                history(customer, shop.jwt().tokenFor(customer)).stream()
                                    .map(o -> o.path("orderId").asText())
                                    .collect(Collectors.toSet()))
                            .as(customer + "'s history")
                            .containsAll(ids)));
    List<String> sample =
        acknowledged.keySet().stream().sorted().filter(id -> id.hashCode() % 10 == 0).toList();
    for (String id : sample) {
      String token = shop.jwt().tokenFor(acknowledged.get(id));
      // at once, then every second: a first poll a second late made 500 samples take 9 minutes
      await()
          .atMost(Duration.ofSeconds(30))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                GatewayClient.Reply order =
                    new GatewayClient(shop.gatewayUrl())
                        .send("GET", "/api/orders/" + id, token, null);
                if (order.status() == 404) {
                  throw new TerminalFailureException(id + " is lost: " + order.body());
                }
                assertThat(order.status()).as(id + ": " + order.body()).isEqualTo(200);
              });
    }
    progress.accept(
        "no acknowledged order lost: "
            + acknowledged.size()
            + " in Order's journal and their customers' histories (within "
            + since(t0)
            + "), "
            + sample.size()
            + " read back through the gateway");
  }

  private List<JsonNode> history(String customer, String token) {
    GatewayClient.Reply user =
        new GatewayClient(shop.gatewayUrl()).send("GET", "/api/users/" + customer, token, null);
    assertThat(user.status()).as("GET /api/users/" + customer + ": " + user.body()).isEqualTo(200);
    return StreamSupport.stream(user.body().path("orders").spliterator(), false).toList();
  }

  private void register(List<String> customers) {
    for (String customer : customers) {
      String token = shop.jwt().tokenFor(customer);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                GatewayClient.Reply reply =
                    new GatewayClient(shop.gatewayUrl())
                        .send(
                            "POST",
                            "/api/users",
                            token,
                            Map.of(
                                "name",
                                "Customer " + customer,
                                "email",
                                customer + "@example.com",
                                "address",
                                Map.of(
                                    "street",
                                    "2 Side St",
                                    "city",
                                    "Springfield",
                                    "postalCode",
                                    "12345",
                                    "country",
                                    "US")));
                assertThat(reply.status())
                    .as("register " + customer + ": " + reply.body())
                    .isIn(200, 201);
              });
    }
  }

  private Map<String, String> tokens(List<String> customers) {
    return customers.stream().collect(Collectors.toMap(c -> c, c -> shop.jwt().tokenFor(c)));
  }

  /** The Ready gateway pods' addresses, as an ingress's endpoints would list them. */
  private List<URI> readyGateways() {
    return shop.readyPods(Labels.GATEWAY_SERVICE_NAME).stream()
        .map(p -> URI.create("http://" + p.getStatus().getPodIP() + ":" + Ports.HTTP))
        .toList();
  }

  private static List<Pod> live(List<Pod> pods) {
    return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static Map<String, Pod> byName(List<Pod> pods) {
    Map<String, Pod> byName = new TreeMap<>();
    pods.forEach(p -> byName.put(p.getMetadata().getName(), p));
    return byName;
  }

  private static String since(Instant t0) {
    return Duration.between(t0, Instant.now()).toSeconds() + " s";
  }
}
