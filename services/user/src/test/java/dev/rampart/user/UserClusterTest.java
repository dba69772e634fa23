package dev.rampart.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.ChangeAddressRequest;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.Notification;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import dev.rampart.proto.user.v1.WatchNotificationsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real User nodes (127.0.0.1, .2, .3) in one cluster: an entity lives on one node, yet a
 * WatchNotifications stream on every node receives its notifications (cluster pub-sub), and
 * presence (Distributed Data) is the same from every node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserClusterTest {
  static UserCluster cluster;
  static List<UserServiceClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = UserCluster.start(3, UserCluster.h2("user-cluster"));
    for (UserCluster.Node n : cluster.nodes) {
      clients.add(n.client());
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Address street(String street) {
    return Address.newBuilder()
        .setStreet(street)
        .setCity("Berlin")
        .setPostalCode("10115")
        .setCountry("DE")
        .build();
  }

  static boolean onlineEverywhere(String userId, boolean expected) {
    return clients.stream()
        .allMatch(
            c ->
                UserCluster.join(c.getUser(GetUserRequest.newBuilder().setUserId(userId).build()))
                        .getOnline()
                    == expected);
  }

  @Test
  @Order(1)
  void aUserRegisteredOnOneNodeIsReadableOnEvery() {
    UserCluster.join(
        clients
            .get(0)
            .register(
                RegisterRequest.newBuilder()
                    .setUserId("rita")
                    .setName("Rita")
                    .setEmail("rita@example.com")
                    .setAddress(street("1 Main St"))
                    .build()));
    for (UserServiceClient c : clients) {
      assertThat(
              UserCluster.join(c.getUser(GetUserRequest.newBuilder().setUserId("rita").build()))
                  .getName())
          .isEqualTo("Rita");
    }
  }

  @Test
  @Order(2)
  void subscribersOnEveryNodeReceiveTheNotificationsOfAnEntityOnAnyNode() {
    UserCluster.join(
        clients
            .get(0)
            .register(
                RegisterRequest.newBuilder()
                    .setUserId("pat")
                    .setName("Pat")
                    .setEmail("pat@example.com")
                    .setAddress(street("0 Start St"))
                    .build()));

    List<Queue<Notification>> received = new ArrayList<>();
    List<UniqueKillSwitch> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Queue<Notification> queue = new ConcurrentLinkedQueue<>();
      received.add(queue);
      streams.add(
          clients
              .get(i)
              .watchNotifications(WatchNotificationsRequest.newBuilder().setUserId("pat").build())
              .viaMat(KillSwitches.single(), Keep.right())
              .toMat(Sink.foreach(queue::add), Keep.left())
              .run(cluster.node(i).runtime().system()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> onlineEverywhere("pat", true));

    // Changes go through node B; the entity lives on whichever node sharding chose, so at least two
    // of the
    // three subscribers are on another node than the publisher. Topic subscriptions spread by
    // gossip, so
    // keep changing until every subscriber has seen one.
    AtomicInteger change = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              UserCluster.join(
                  clients
                      .get(1)
                      .changeAddress(
                          ChangeAddressRequest.newBuilder()
                              .setUserId("pat")
                              .setAddress(street(change.incrementAndGet() + " Moving St"))
                              .build()));
              return received.stream()
                  .allMatch(q -> q.stream().anyMatch(Notification::hasAddressChanged));
            });

    // After the last change, every subscriber has the same notifications, each once.
    String last = change.get() + " Moving St";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                received.stream()
                    .allMatch(
                        q ->
                            q.stream()
                                .anyMatch(
                                    n ->
                                        n.getAddressChanged()
                                            .getAddress()
                                            .getStreet()
                                            .equals(last))));
    for (Queue<Notification> q : received) {
      List<String> ids = q.stream().map(Notification::getNotificationId).toList();
      assertThat(ids).doesNotHaveDuplicates();
      assertThat(q).allSatisfy(n -> assertThat(n.getUserId()).isEqualTo("pat"));
    }
    Set<String> lastIds =
        received.stream()
            .map(
                q ->
                    q.stream()
                        .filter(n -> n.getAddressChanged().getAddress().getStreet().equals(last))
                        .map(Notification::getNotificationId)
                        .collect(Collectors.toSet()))
            .flatMap(Set::stream)
            .collect(Collectors.toSet());
    assertThat(lastIds).as("one notification, seen by all three").hasSize(1);

    // Presence: the user is offline everywhere once all streams are closed.
    streams.forEach(UniqueKillSwitch::shutdown);
    await().atMost(Duration.ofSeconds(20)).until(() -> onlineEverywhere("pat", false));
  }

  static void register(String userId) {
    UserCluster.join(
        clients
            .get(0)
            .register(
                RegisterRequest.newBuilder()
                    .setUserId(userId)
                    .setName(userId)
                    .setEmail(userId + "@example.com")
                    .setAddress(street("0 Start St"))
                    .build()));
  }

  static void changeAddress(String userId, String newStreet) {
    UserCluster.join(
        clients
            .get(1)
            .changeAddress(
                ChangeAddressRequest.newBuilder()
                    .setUserId(userId)
                    .setAddress(street(newStreet))
                    .build()));
  }

  /** Notifications of {@code userId} received on node {@code node}, after {@code afterId}. */
  static Queue<Notification> watch(int node, String userId, String afterId) {
    Queue<Notification> queue = new ConcurrentLinkedQueue<>();
    clients
        .get(node)
        .watchNotifications(
            WatchNotificationsRequest.newBuilder()
                .setUserId(userId)
                .setAfterNotificationId(afterId)
                .build())
        .runWith(Sink.foreach(queue::add), cluster.node(node).runtime().system());
    return queue;
  }

  static boolean onlineOn(int node, String userId) {
    return UserCluster.join(
            clients.get(node).getUser(GetUserRequest.newBuilder().setUserId(userId).build()))
        .getOnline();
  }

  static List<String> ids(java.util.Collection<Notification> received) {
    return received.stream().map(Notification::getNotificationId).toList();
  }

  static List<String> ids(String userId, int fromSeqNr, int toSeqNr) {
    return java.util.stream.IntStream.rangeClosed(fromSeqNr, toSeqNr)
        .mapToObj(n -> userId + ":" + n)
        .toList();
  }

  /**
   * One change right after the streams have opened (the user shows online on their node), before
   * the topic subscriptions can have spread by gossip to the entity's node: every stream gets it,
   * once.
   */
  @Test
  @Order(3)
  void aChangeWhileTheSubscriptionSpreadsIsNotLost() {
    register("sam");
    List<Queue<Notification>> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(watch(i, "sam", ""));
    }
    for (int i = 0; i < 3; i++) {
      int node = i;
      await().atMost(Duration.ofSeconds(20)).until(() -> onlineOn(node, "sam"));
    }
    changeAddress("sam", "1 Early St");
    for (Queue<Notification> q : received) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !q.isEmpty());
    }
    // a later change shows nothing more was pending
    changeAddress("sam", "2 Later St");
    for (Queue<Notification> q : received) {
      await().atMost(Duration.ofSeconds(20)).until(() -> q.size() >= 2);
      assertThat(ids(q)).containsExactly("sam:2", "sam:3");
    }
  }

  /**
   * Changes published before the stream opens arrive after the resume id, exactly those, in order,
   * then the live ones; without a resume id the stream starts with what happens after the call.
   */
  @Test
  @Order(4)
  void aResumeIdReplaysExactlyTheNotificationsAfterIt() {
    register("ria");
    for (int i = 1; i <= 5; i++) {
      changeAddress("ria", i + " Before St"); // ria:2 .. ria:6
    }
    Queue<Notification> resumed = watch(2, "ria", "ria:3");
    Queue<Notification> fromStart = watch(0, "ria", "ria:0");
    Queue<Notification> fresh = watch(1, "ria", "");
    await().atMost(Duration.ofSeconds(20)).until(() -> resumed.size() >= 3);
    assertThat(ids(resumed)).containsExactly("ria:4", "ria:5", "ria:6");
    assertThat(resumed.stream().map(n -> n.getAddressChanged().getAddress().getStreet()))
        .containsExactly("3 Before St", "4 Before St", "5 Before St");
    await().atMost(Duration.ofSeconds(20)).until(() -> onlineOn(1, "ria"));

    changeAddress("ria", "6 Live St");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> resumed.size() >= 4 && fromStart.size() >= 6 && !fresh.isEmpty());
    assertThat(ids(resumed)).containsExactly("ria:4", "ria:5", "ria:6", "ria:7");
    assertThat(ids(fromStart)).containsExactlyElementsOf(ids("ria", 2, 7));
    assertThat(ids(fresh)).containsExactly("ria:7");
  }

  /**
   * A client reading while changes keep coming drops its stream after 10 notifications and
   * reconnects on another node with the last id it saw: every change arrives, none twice.
   */
  @Test
  @Order(5)
  void reconnectingWithTheLastSeenIdLosesNothingAndRepeatsNothing() throws Exception {
    register("max");
    int changes = 30; // max:2 .. max:31
    var firstStream =
        clients
            .get(0)
            .watchNotifications(WatchNotificationsRequest.newBuilder().setUserId("max").build())
            .take(10)
            .runWith(Sink.seq(), cluster.node(0).runtime().system())
            .toCompletableFuture();
    await().atMost(Duration.ofSeconds(20)).until(() -> onlineOn(0, "max"));
    var writer =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              for (int i = 1; i <= changes; i++) {
                changeAddress("max", i + " Busy St");
              }
            });
    List<Notification> first = firstStream.get(30, java.util.concurrent.TimeUnit.SECONDS);
    String lastSeen = first.get(first.size() - 1).getNotificationId();
    Queue<Notification> second = watch(2, "max", lastSeen);
    writer.get(60, java.util.concurrent.TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ids(second).contains("max:" + (changes + 1)));

    List<String> all = new ArrayList<>(ids(first));
    all.addAll(ids(second));
    assertThat(all).containsExactlyElementsOf(ids("max", 2, changes + 1));
  }

  /** Runs last: it takes node C out of the cluster. */
  @Test
  @Order(9)
  void aUserWatchingOnANodeThatLeavesIsNoLongerOnline() {
    UserCluster.join(
        clients
            .get(0)
            .register(
                RegisterRequest.newBuilder()
                    .setUserId("lee")
                    .setName("Lee")
                    .setEmail("lee@example.com")
                    .setAddress(street("3 Gone St"))
                    .build()));
    clients
        .get(2)
        .watchNotifications(WatchNotificationsRequest.newBuilder().setUserId("lee").build())
        .runWith(Sink.ignore(), cluster.node(0).runtime().system());
    await().atMost(Duration.ofSeconds(20)).until(() -> onlineEverywhere("lee", true));

    cluster.node(2).runtime().close();
    clients.remove(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> onlineEverywhere("lee", false));
  }
}
