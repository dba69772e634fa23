package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edges {@link GatewayFuzzTest} does not reach, against a real gateway on loopback, each
 * bounded in count and time: WebSocket frames no client should send, bodies that dribble in, header
 * floods, and upstreams that fail while clients keep calling. The gateway answers 4xx, or
 * 502/503/504 for an upstream's fault, never another 5xx; it frees what a broken stream held, and
 * keeps serving everyone else.
 */
class GatewayEdgeFuzzTest {
  static final long SEED = 20261202L;
  static final String WS_PATH = "/api/users/fuzzer/notifications";
  static GatewayHarness h;
  static String token;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(c -> c).warmedUp();
    token = h.keys.token("fuzzer");
    assertThat(
            h.post("/api/users", token, GatewayHarness.registration("fuzzer", "Fuzzer"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void brokenWebSocketFramesEndOnlyTheirOwnStreamAndFreeItsSlot() throws Exception {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int cases = 48;
    for (int i = 0; i < cases; i++) {
      byte[] frames = badFrames(random, i);
      try (Socket s = connect()) {
        String head = upgrade(s);
        if (!head.startsWith("HTTP/1.1 101")) {
          failures.add("case " + i + ": upgrade answered " + firstLine(head));
          continue;
        }
        s.getOutputStream().write(frames);
        s.getOutputStream().flush();
        // the server may close (1002/1007/1009), ignore the frames, or drop the connection
        drain(s, Duration.ofMillis(300));
      } catch (IOException e) {
        // a reset after a protocol violation is an answer too; only the gateway's health counts
      }
      if (h.get("/api/users/fuzzer", token).statusCode() != 200) {
        failures.add("case " + i + ": the gateway stopped serving after " + printable(frames));
      }
    }
    assertThat(failures).isEmpty();

    // every broken stream gave its slot back: the subject opens its full allowance again
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<Socket> open = new ArrayList<>();
              try {
                for (int i = 0; i < 8; i++) {
                  Socket s = connect();
                  open.add(s);
                  assertThat(firstLine(upgrade(s))).as("stream " + (i + 1)).contains("101");
                }
              } finally {
                for (Socket s : open) s.close();
              }
            });
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void bodiesThatDribbleInAre408AndStarveNobody() throws Exception {
    int slow = 16;
    ExecutorService pool = Executors.newFixedThreadPool(slow);
    try {
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < slow; i++) {
        answers.add(CompletableFuture.supplyAsync(GatewayEdgeFuzzTest::slowPost, pool));
      }
      // while they hold their connections, everyone else is served as usual
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        assertThat(h.get("/api/users/fuzzer", token).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      }
      for (var answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 408");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void headerFloodsAre4xxOnEveryConnection() throws Exception {
    Random random = new Random(SEED + 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String request = headerFlood(random, i);
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  String status = rawStatus(request.getBytes(StandardCharsets.ISO_8859_1));
                  if (!status.matches("HTTP/1.1 4\\d\\d.*")) {
                    failures.add(
                        printable(request.getBytes(StandardCharsets.ISO_8859_1)) + " -> " + status);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures).as("first 10: " + failures.stream().limit(10).toList()).isEmpty();
    assertThat(h.get("/api/users/fuzzer", token).statusCode()).isEqualTo(200);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void failingUpstreamsAreOnly502503Or504() throws Exception {
    Status[] faults = {
      Status.UNAVAILABLE,
      Status.DEADLINE_EXCEEDED,
      Status.INTERNAL,
      Status.UNKNOWN,
      Status.DATA_LOSS,
      Status.RESOURCE_EXHAUSTED,
      Status.UNIMPLEMENTED,
      Status.UNAUTHENTICATED,
      Status.CANCELLED
    };
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Random random = new Random(SEED + 2);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (GatewayHarness g = new GatewayHarness(c -> c).warmedUp()) {
      for (int i = 0; i < faults.length; i++) {
        g.upstreams.users.faults.put(
            "failing" + i, new FakeUserService.Fault(faults[i], Duration.ZERO));
      }
      // slower than the gateway's deadline
      g.upstreams.users.faults.put(
          "slow", new FakeUserService.Fault(Status.OK, Duration.ofSeconds(4)));
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int pick = random.nextInt(faults.length + 1);
        String user = pick == faults.length ? "slow" : "failing" + pick;
        int call = random.nextInt(3);
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  HttpResponse<String> response = callAs(g, user, call);
                  int status = response.statusCode();
                  statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                  boolean mapped = status == 502 || status == 503 || status == 504;
                  if (status >= 500 && !mapped || status < 400) {
                    failures.add(user + " -> " + status + " " + response.body());
                  } else if (!response
                      .headers()
                      .firstValue("Content-Type")
                      .orElse("")
                      .equals("application/problem+json")) {
                    failures.add(user + " -> " + status + " without problem+json");
                  }
                },
                pool));
      }
      // a healthy subject is served while the others fail
      String healthy = g.keys.token("fuzzer");
      assertThat(
              g.post("/api/users", healthy, GatewayHarness.registration("fuzzer", "F"))
                  .statusCode())
          .isEqualTo(201);
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(100, TimeUnit.SECONDS);
      System.out.println("upstream faults: statuses " + statuses);
      assertThat(failures).as("first 10: " + failures.stream().limit(10).toList()).isEmpty();
      assertThat(statuses.keySet()).contains(502, 503, 504);
    } finally {
      pool.shutdownNow();
    }
  }

  private static HttpResponse<String> callAs(GatewayHarness g, String user, int call) {
    String userToken = g.keys.token(user);
    return switch (call) {
      case 0 -> g.get("/api/users/" + user, userToken);
      case 1 -> g.post("/api/users", userToken, GatewayHarness.registration(user, "Failing"));
      default ->
          g.put(
              "/api/users/" + user + "/address",
              userToken,
              "{\"street\":\"s\",\"city\":\"c\",\"postalCode\":\"p\",\"country\":\"DE\"}");
    };
  }

  // --- raw HTTP and WebSocket over a socket

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", h.gateway.port()), 5_000);
    s.setSoTimeout(5_000);
    return s;
  }

  /** Sends a valid upgrade for the notification stream and reads the response head. */
  private static String upgrade(Socket s) throws IOException {
    String key =
        Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    String request =
        "GET "
            + WS_PATH
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readHead(s.getInputStream());
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] soFar = head.toByteArray();
      int n = soFar.length;
      if (n >= 4
          && soFar[n - 4] == '\r'
          && soFar[n - 3] == '\n'
          && soFar[n - 2] == '\r'
          && soFar[n - 1] == '\n') {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads whatever the server sends for a while, or until it closes. */
  private static void drain(Socket s, Duration atMost) throws IOException {
    s.setSoTimeout((int) atMost.toMillis());
    try {
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException stillOpen) {
      // the gateway ignored the frames: also fine
    }
  }

  /**
   * Frames a client must not send (RFC 6455): unmasked, reserved bits or opcodes, lengths beyond
   * any buffer, fragmented or oversized control frames, text that is not UTF-8, bad close codes,
   * ping floods and plain noise.
   */
  private static byte[] badFrames(Random r, int i) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (i % 8) {
      case 0 -> frame(out, 0x81, false, "unmasked".getBytes(StandardCharsets.UTF_8), r);
      case 1 -> frame(out, 0x80 | (3 + r.nextInt(5)), true, bytes(r, 10), r); // reserved opcode
      case 2 -> frame(out, 0xC1, true, "rsv1 set".getBytes(StandardCharsets.UTF_8), r);
      case 3 -> { // a length of 2^62 that never arrives
        out.write(0x82);
        out.write(0x80 | 127);
        for (int k = 0; k < 8; k++) out.write(k == 0 ? 0x40 : 0);
        out.writeBytes(bytes(r, 4));
      }
      case 4 -> frame(out, 0x81, true, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, r);
      case 5 -> frame(out, 0x09, true, bytes(r, 200), r); // a fragmented, oversized ping
      case 6 -> {
        for (int k = 0; k < 300; k++) frame(out, 0x89, true, bytes(r, 8), r); // ping flood
        frame(out, 0x88, true, new byte[] {0x03, (byte) 0xE7}, r); // close with code 999
      }
      default -> out.writeBytes(bytes(r, 1 + r.nextInt(2048))); // noise
    }
    return out.toByteArray();
  }

  private static void frame(
      ByteArrayOutputStream out, int first, boolean masked, byte[] payload, Random r) {
    out.write(first);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(mask | payload.length);
    } else {
      out.write(mask | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xFF);
    }
    byte[] key = bytes(r, 4);
    if (masked) out.writeBytes(key);
    for (int k = 0; k < payload.length; k++) {
      out.write(masked ? payload[k] ^ key[k % 4] : payload[k]);
    }
  }

  /** A valid order POST whose 500-byte body arrives one byte every 400 ms: the status line. */
  private static String slowPost() {
    try (Socket s = connect()) {
      s.setSoTimeout(20_000);
      String head =
          "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer "
              + token
              + "\r\nContent-Length: 500\r\n\r\n{";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < deadline) {
        if (in.available() > 0) break;
        try {
          out.write('"');
          out.flush();
        } catch (IOException closed) {
          break;
        }
        Thread.sleep(400); // the slow client's pace, not a wait for the server
      }
      return firstLine(readHead(in));
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private static String headerFlood(Random r, int i) {
    StringBuilder b =
        new StringBuilder(
                "GET /api/users/fuzzer HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ")
            .append(token)
            .append("\r\n");
    switch (i % 4) {
      case 0 -> { // more headers than the server takes
        for (int k = 0; k < 65 + r.nextInt(2_000); k++) b.append("X-F").append(k).append(": v\r\n");
      }
      case 1 -> b.append("Cookie: ").append("c=".repeat(5_000 + r.nextInt(5_000))).append("\r\n");
      case 2 -> { // the token many times over
        for (int k = 0; k < 100; k++)
          b.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      default -> b.append("X-Long: ").append("v".repeat(8_200 + r.nextInt(20_000))).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  private static String rawStatus(byte[] request) {
    try (Socket s = connect()) {
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      byte[] head = s.getInputStream().readNBytes(12);
      return head.length == 0
          ? "closed without answer"
          : new String(head, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "no answer: " + e;
    }
  }

  private static String firstLine(String head) {
    int end = head.indexOf("\r\n");
    return end < 0 ? head : head.substring(0, end);
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static String printable(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 60), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
