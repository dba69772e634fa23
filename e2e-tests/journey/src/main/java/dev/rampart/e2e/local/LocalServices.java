package dev.rampart.e2e.local;

import dev.rampart.contract.Env;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import dev.rampart.e2e.journey.LocalDevTokens;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.e2e.pods.Launch;
import dev.rampart.e2e.pods.LocalImages;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kafka.KafkaBroker;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The whole system on this machine without Kubernetes: a real Kafka broker, PostgreSQL (a database
 * per service), Order, User and Shipping as Akka clusters of several JVMs each on their own
 * loopback addresses, and the gateway. Every process gets exactly the environment the operator
 * gives a pod (the contract's names), with config discovery and static peer endpoints in place of
 * the Kubernetes API.
 */
public final class LocalServices implements AutoCloseable {
  public static final String SYSTEM = "shop";
  private static final List<String> SERVICES = List.of("user", "shipping", "order");
  private static final Map<String, String> MODULES =
      Map.of(
          "order",
          "services/order",
          "user",
          "services/user",
          "shipping",
          "services/shipping",
          "gateway",
          "gateway",
          "carrier",
          "services/carrier-simulator");

  /** The carrier simulator's port (its own address, {@code <block>10.1}). */
  static final int CARRIER_PORT = 8480;

  /**
   * The browser's development sign-in ({@link LocalDevTokens}, its own address {@code
   * <block>10.2}).
   */
  static final int DEV_TOKENS_PORT = 8490;

  /**
   * The JVM flags every launched process gets, plus extra ones by service (e.g. system properties
   * or JFR for one service). {@link #LIGHT} keeps a dozen JVMs small on a laptop; a benchmark wants
   * the full JIT a pod has.
   */
  public record Jvm(List<String> flags, Map<String, List<String>> extraByService) {
    public static final Jvm LIGHT =
        new Jvm(
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"),
            Map.of());
  }

  private final int nodesPerService;
  private final Jvm jvm;

  /**
   * 127.N. of this run, N random in 192–251: two runs on one machine (a benchmark beside the tests)
   * never share addresses, and none collides with the services' tests (127.0.x.y) or the
   * process-pod runner (127.64–191).
   */
  private final String block =
      "127." + (192 + java.util.concurrent.ThreadLocalRandom.current().nextInt(60)) + ".";

  private final Path workDir;
  private final Consumer<String> progress;
  private final KafkaBroker kafka;
  private final List<TestDatabase> databases = new ArrayList<>();
  private final Map<String, List<Node>> nodes = new LinkedHashMap<>();
  private final LocalJwtIssuer jwt = new LocalJwtIssuer();
  private Node gateway;
  private LocalDevTokens devTokens;

  /** One running JVM of a service. */
  public record Node(String service, int index, String ip, ManagedProcess process) {}

  private LocalServices(int nodesPerService, Jvm jvm, Consumer<String> progress) {
    this.nodesPerService = nodesPerService;
    this.jvm = jvm;
    this.progress = progress;
    try {
      this.workDir = Files.createTempDirectory("rampart-local-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.accept("starting a Kafka broker (KRaft, own JVM)");
    this.kafka = KafkaBroker.start();
    kafka.createTopic("order-events", 4);
    kafka.createTopic("order-events-public", 4);
    kafka.createTopic("shipment-events", 4);
    progress.accept(
        "Kafka at "
            + kafka.bootstrapServers()
            + ", topics order-events, order-events-public, shipment-events");
  }

  /** Starts everything and waits until every node is ready. */
  public static LocalServices start(int nodesPerService, Consumer<String> progress) {
    return start(nodesPerService, Jvm.LIGHT, progress);
  }

  /** Starts everything with the given JVM flags and waits until every node is ready. */
  public static LocalServices start(int nodesPerService, Jvm jvm, Consumer<String> progress) {
    LocalServices local = new LocalServices(nodesPerService, jvm, progress);
    try {
      local.startCarrier();
      for (String service : SERVICES) {
        local.startService(service);
      }
      local.startGateway();
      local.awaitReady(Duration.ofMinutes(5));
      return local;
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
  }

  public URI gatewayUrl() {
    return URI.create("http://" + gateway.ip() + ":" + Ports.HTTP);
  }

  /** Where the web app's development sign-in gets its tokens ({@code POST {"user": id}}). */
  public URI devTokenUrl() {
    return devTokens.url();
  }

  public LocalJwtIssuer jwt() {
    return jwt;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public List<Node> nodes(String service) {
    return nodes.getOrDefault(service, List.of());
  }

  /** The databases of the services (one per service), e.g. to find their PostgreSQL backends. */
  public List<TestDatabase> databases() {
    return List.copyOf(databases);
  }

  public Path workDir() {
    return workDir;
  }

  /** kill -9 of one node (what a crashed pod looks like). */
  public void crash(String service, int index) {
    nodes(service).get(index).process().kill();
  }

  private void startService(String service) {
    int serviceNumber = 11 + SERVICES.indexOf(service);
    List<String> ips =
        IntStream.rangeClosed(1, nodesPerService)
            .mapToObj(n -> block + serviceNumber + "." + n)
            .toList();
    TestDatabase db = Postgres.shared().createDatabase("local_" + service);
    databases.add(db);
    List<Node> started = new ArrayList<>();
    for (int i = 0; i < ips.size(); i++) {
      Map<String, String> env = baseEnv(service, ips.get(i), i);
      env.put(Env.DISCOVERY_METHOD, Env.DISCOVERY_CONFIG);
      env.put(Env.BOOTSTRAP_SERVICE_NAME, SYSTEM + "-" + service);
      env.put(Env.REQUIRED_CONTACT_POINTS, Integer.toString(nodesPerService));
      env.put(
          Env.CONTACT_POINTS,
          ips.stream().map(ip -> ip + ":" + Ports.MANAGEMENT).collect(Collectors.joining(",")));
      env.put(Env.JDBC_URL, db.jdbcUrl());
      env.put(Env.JDBC_USER, db.user());
      env.put(Env.JDBC_PASSWORD, db.password());
      env.put(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      switch (service) {
        case "order" -> {
          env.put(Env.PEER_ENDPOINTS, endpoints("user") + "," + endpoints("shipping"));
          env.put(Env.KAFKA_PRODUCES, "order-events,order-events-public");
          env.put(Env.KAFKA_CONSUMES, "shipment-events");
        }
        case "user" -> env.put(Env.KAFKA_CONSUMES, "order-events");
        case "shipping" -> {
          env.put(Env.PEER_ENDPOINTS, endpoints("user"));
          // the carrier only through the gateway's egress, as the operator wires it
          env.put(Env.egressUrl(Env.CARRIER_EGRESS), egressUrl(Env.CARRIER_EGRESS).toString());
          env.put(Env.KAFKA_PRODUCES, "shipment-events");
        }
        default -> {}
      }
      started.add(new Node(service, i, ips.get(i), launch(service, i, env)));
    }
    nodes.put(service, started);
    progress.accept(service + ": " + nodesPerService + " nodes on " + ips);
  }

  /**
   * The third-party carrier, outside the wall: Shipping books with it through the gateway's egress,
   * and it reports each parcel's progress by webhooks to the gateway's carrier route, with a
   * partner token of the local issuer.
   */
  private void startCarrier() {
    String ip = block + "10.1";
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CARRIER_HOST", ip);
    env.put("CARRIER_PORT", Integer.toString(CARRIER_PORT));
    env.put("CARRIER_WEBHOOK_BASE", "http://" + gatewayIp() + ":" + Ports.HTTP);
    env.put("CARRIER_WEBHOOK_TOKEN", jwt.partnerToken(CARRIER_PARTNER));
    Node carrier = new Node("carrier", 0, ip, launch("carrier", 0, env));
    nodes.put("carrier", List.of(carrier));
    progress.accept("carrier simulator on " + carrierUrl() + ", webhooks to the gateway");
  }

  /** The carrier's subject in its partner token. */
  static final String CARRIER_PARTNER = "simulated-carrier";

  /** The credential the gateway's egress sends the carrier (the simulator does not check it). */
  static final String CARRIER_CREDENTIAL = "Bearer local-carrier-api-key";

  private String gatewayIp() {
    return block + "14.1";
  }

  /** What the operator sets as {@code RAMPART_EGRESS_<NAME>_URL}: the gateway's egress to it. */
  public URI egressUrl(String name) {
    return URI.create("http://" + gatewayIp() + ":" + Ports.GATEWAY_EGRESS + "/egress/" + name);
  }

  /** The carrier simulator's base URL ({@code GET /v1/bookings/<shipment id>} reads a booking). */
  public URI carrierUrl() {
    return URI.create("http://" + block + "10.1:" + CARRIER_PORT);
  }

  private void startGateway() {
    String ip = gatewayIp();
    Map<String, String> env = baseEnv("gateway", ip, 0);
    env.put(Env.HTTP_PORT, Integer.toString(Ports.HTTP));
    env.put(
        Env.PEER_ENDPOINTS,
        endpoints("user") + "," + endpoints("order") + "," + endpoints("shipping"));
    env.put(
        Env.GATEWAY_ROUTES,
        "/api/users=user:users.v1,/api/orders=order:orders.v1,/api/carrier=shipping:carrier.v1");
    env.put(Env.JWT_JWKS_PATH, jwt.writeJwks(workDir.resolve("jwks.json")).toString());
    env.put(Env.JWT_ISSUER, LocalJwtIssuer.ISSUER);
    env.put(Env.JWT_AUDIENCE, LocalJwtIssuer.AUDIENCE);
    env.put(Env.JWT_PARTNER_AUDIENCE, LocalJwtIssuer.PARTNER_AUDIENCE);
    env.put(Env.JWT_PARTNER_SCOPE, LocalJwtIssuer.PARTNER_SCOPE);
    env.put(Env.GATEWAY_EGRESS, Env.CARRIER_EGRESS + "=" + carrierUrl());
    Path egressDir = workDir.resolve("egress");
    try {
      Path carrier = Files.createDirectories(egressDir.resolve(Env.CARRIER_EGRESS));
      Files.writeString(carrier.resolve(Env.EGRESS_AUTHORIZATION_FILE), CARRIER_CREDENTIAL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put(Env.GATEWAY_EGRESS_DIR, egressDir.toString());
    env.put(Env.RATE_LIMIT_RPS, "500");
    env.put(Env.RATE_LIMIT_BURST, "1000");
    // the web app's sign-in: a development token issuer, for pages of the gateway's origin only
    devTokens =
        LocalDevTokens.start(
            block + "10.2", DEV_TOKENS_PORT, jwt, "http://" + ip + ":" + Ports.HTTP);
    env.put(Env.WEB_DEV_TOKEN_URL, devTokens.url().toString());
    gateway = new Node("gateway", 0, ip, launch("gateway", 0, env));
    nodes.put("gateway", List.of(gateway));
    progress.accept(
        "gateway on http://"
            + ip
            + ":"
            + Ports.HTTP
            + ", egress to the carrier on "
            + egressUrl(Env.CARRIER_EGRESS));
  }

  private Map<String, String> baseEnv(String service, String ip, int index) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(Env.SYSTEM, SYSTEM);
    env.put(Env.SERVICE, service);
    env.put(Env.POD_NAME, SYSTEM + "-" + service + "-" + index);
    env.put(Env.POD_IP, ip);
    env.put(Env.POD_NAMESPACE, "local");
    env.put(Env.LOG_FORMAT, "text");
    return env;
  }

  private String endpoints(String service) {
    int serviceNumber = 11 + SERVICES.indexOf(service);
    return service
        + "="
        + IntStream.rangeClosed(1, nodesPerService)
            .mapToObj(n -> block + serviceNumber + "." + n + ":" + Ports.GRPC)
            .collect(Collectors.joining("|"));
  }

  private ManagedProcess launch(String service, int index, Map<String, String> env) {
    Path module = RepoPaths.root().resolve(MODULES.get(service));
    Launch launch =
        LocalImages.launchOf(module)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        module + " is not packaged: run ./mvnw -B install -DskipTests first"));
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm.flags());
    command.addAll(jvm.extraByService().getOrDefault(service, List.of()));
    command.addAll(
        List.of("-Djava.net.preferIPv4Stack=true", "-cp", launch.classpath(), launch.mainClass()));
    return ManagedProcess.start(
        service + "-" + index, command, env, workDir.resolve(service + "-" + index + ".log"));
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Node> all = nodes.values().stream().flatMap(List::stream).toList();
    for (Node node : all) {
      URI probe =
          switch (node.service()) {
            case "gateway" ->
                URI.create("http://" + node.ip() + ":" + Ports.HTTP + Probes.GATEWAY_READY);
            case "carrier" -> URI.create("http://" + node.ip() + ":" + CARRIER_PORT + "/healthz");
            default -> URI.create("http://" + node.ip() + ":" + Ports.MANAGEMENT + Probes.READY);
          };
      while (true) {
        if (!node.process().isAlive()) {
          throw new IllegalStateException(
              node.service()
                  + "-"
                  + node.index()
                  + " exited; log "
                  + node.process().log()
                  + ":\n"
                  + node.process().logTail(40));
        }
        if (FreePorts.isListening(node.ip(), probe.getPort()) && status(http, probe) == 200) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              node.service()
                  + "-"
                  + node.index()
                  + " not ready within "
                  + timeout
                  + " ("
                  + probe
                  + "); log "
                  + node.process().log()
                  + ":\n"
                  + node.process().logTail(40));
        }
        sleep(500);
      }
    }
    progress.accept("all " + all.size() + " nodes ready");
  }

  private static int status(HttpClient http, URI uri) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Log tails of every process, for failure messages. */
  public String logTails(int lines) {
    StringBuilder out = new StringBuilder();
    nodes.values().stream()
        .flatMap(List::stream)
        .forEach(
            n ->
                out.append("---- ")
                    .append(n.service())
                    .append('-')
                    .append(n.index())
                    .append(" (")
                    .append(n.process().log())
                    .append(")\n")
                    .append(n.process().logTail(lines))
                    .append('\n'));
    return out.toString();
  }

  @Override
  public void close() {
    nodes.values().stream().flatMap(List::stream).parallel().forEach(n -> n.process().close());
    if (devTokens != null) devTokens.close();
    kafka.close();
    databases.forEach(TestDatabase::close);
  }
}
