package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rampart.operator.status.PodClusterView;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe against a real HTTP endpoint serving Akka Management's /cluster/members document. */
class ClusterMembershipProbeTest {
  static final String MEMBERS =
      """
      {"selfNode":"akka://order@127.0.0.1:25520","leader":"akka://order@127.0.0.1:25520",
       "oldest":"akka://order@127.0.0.2:25520",
       "unreachable":[{"node":"akka://order@127.0.0.3:25520","observedBy":["akka://order@127.0.0.1:25520"]}],
       "members":[{"node":"akka://order@127.0.0.1:25520","nodeUid":"1","status":"Up","roles":["dc-default"]},
                  {"node":"akka://order@127.0.0.2:25520","nodeUid":"2","status":"Up","roles":["dc-default"]},
                  {"node":"akka://order@127.0.0.3:25520","nodeUid":"3","status":"Joining","roles":["dc-default"]}]}
      """;

  @Test
  void readsLeaderOldestUpMembersAndUnreachable() throws Exception {
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/cluster/members",
        ex -> {
          byte[] body = MEMBERS.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      var probe = new ClusterMembershipProbe(Duration.ofSeconds(1), server.getAddress().getPort());
      assertThat(probe.ask("shop-order-a", "order", "127.0.0.1").join())
          .contains(
              new PodClusterView(
                  "shop-order-a",
                  "order",
                  "akka://order@127.0.0.1:25520",
                  "akka://order@127.0.0.2:25520",
                  List.of("akka://order@127.0.0.1:25520", "akka://order@127.0.0.2:25520"),
                  1));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nobodyListeningIsUnknownAndQuick() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var probe = new ClusterMembershipProbe(Duration.ofMillis(500), port);
    long start = System.nanoTime();
    assertThat(probe.ask("p", "order", "127.0.0.1").join()).isEmpty();
    assertThat(probe.ask("p", "order", null).join()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }
}
