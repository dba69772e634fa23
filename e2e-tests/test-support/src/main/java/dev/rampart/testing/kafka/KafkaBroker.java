package dev.rampart.testing.kafka;

import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) on a free loopback
 * port, in its own JVM whose classpath the rampart-kafka-broker module resolved from Maven Central
 * — so the broker's Kafka version never meets the client Alpakka Kafka brings into the test JVM.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String CLASSPATH_RESOURCE = "rampart/kafka-broker.classpath";
  private static KafkaBroker shared;
  private static final AtomicInteger TOOL_RUNS = new AtomicInteger();

  private final String classpath;
  private final Path dataDir;
  private final Path properties;
  private final int port;
  private ManagedProcess process;

  private KafkaBroker(String host) {
    this.classpath = brokerClasspath();
    this.port = FreePorts.on(host);
    int controllerPort = FreePorts.on(host);
    try {
      this.dataDir = Files.createTempDirectory("rampart-kafka-");
      this.properties = dataDir.resolve("server.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "controller.quorum.voters=1@" + host + ":" + controllerPort,
              "listeners=PLAINTEXT://"
                  + host
                  + ":"
                  + port
                  + ",CONTROLLER://"
                  + host
                  + ":"
                  + controllerPort,
              "advertised.listeners=PLAINTEXT://" + host + ":" + port,
              "controller.listener.names=CONTROLLER",
              "inter.broker.listener.name=PLAINTEXT",
              "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
              "log.dirs=" + dataDir.resolve("logs"),
              "num.partitions=4",
              "offsets.topic.replication.factor=1",
              "offsets.topic.num.partitions=4",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "share.coordinator.state.topic.replication.factor=1",
              "share.coordinator.state.topic.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              "auto.create.topics.enable=true",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    format();
    launch();
  }

  /** One broker per test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized KafkaBroker shared() {
    if (shared == null || !shared.isRunning()) {
      shared = new KafkaBroker("127.0.0.1");
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-shared-kafka"));
    }
    return shared;
  }

  /** A private broker (for tests that stop or kill it). */
  public static KafkaBroker start() {
    return new KafkaBroker("127.0.0.1");
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The broker JVM's process id (e.g. to read its CPU time). */
  public long pid() {
    return process.pid();
  }

  /** Where the broker keeps its data and the tools' logs. */
  Path dataDir() {
    return dataDir;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Creates a topic (idempotent) and returns once the broker has it. */
  public void createTopic(String name, int partitions) {
    runTool(
        "kafka-topics",
        List.of(
            "org.apache.kafka.tools.TopicCommand",
            "--bootstrap-server",
            bootstrapServers(),
            "--create",
            "--if-not-exists",
            "--topic",
            name,
            "--partitions",
            Integer.toString(partitions),
            "--replication-factor",
            "1"));
  }

  /** Deletes a topic (idempotent), as Strimzi's topic operator does for a managed KafkaTopic. */
  public void deleteTopic(String name) {
    runTool(
        "kafka-topics-delete",
        List.of(
            "org.apache.kafka.tools.TopicCommand",
            "--bootstrap-server",
            bootstrapServers(),
            "--delete",
            "--if-exists",
            "--topic",
            name));
  }

  /** The broker's topics. */
  public List<String> topics() {
    return runTool(
            "kafka-topics-list",
            List.of(
                "org.apache.kafka.tools.TopicCommand",
                "--bootstrap-server",
                bootstrapServers(),
                "--list"))
        .lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** Produces {@code count} records (values 0, 1, ...) to the topic, acknowledged by the broker. */
  public void produce(String topic, int count) {
    runTool(
        "kafka-produce",
        List.of(
            "org.apache.kafka.tools.VerifiableProducer",
            "--bootstrap-server",
            bootstrapServers(),
            "--topic",
            topic,
            "--max-messages",
            Integer.toString(count),
            "--acks",
            "-1"));
  }

  /** The topic's records: the sum of its partitions' end offsets. */
  public long endOffset(String topic) {
    return runTool(
            "kafka-offsets",
            List.of(
                "org.apache.kafka.tools.GetOffsetShell",
                "--bootstrap-server",
                bootstrapServers(),
                "--topic",
                topic))
        .lines()
        .filter(l -> l.startsWith(topic + ":"))
        .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(':') + 1).trim()))
        .sum();
  }

  /** kill -9 of the broker JVM. */
  public void kill() {
    process.kill();
  }

  /**
   * Starts the broker again on the same port and data (after {@link #kill()} or {@link #close()}).
   */
  public void restart() {
    if (isRunning()) {
      process.close();
    }
    launch();
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  private void format() {
    runTool(
        "kafka-storage-format",
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "--ignore-formatted",
            "-t",
            newClusterId(),
            "-c",
            properties.toString()));
  }

  /**
   * A random cluster id as Kafka makes them: 16 bytes, base64url. Like Kafka's Uuid.randomUuid,
   * never one that starts with '-', which the storage tool's argument parser would take for an
   * option.
   */
  static String newClusterId() {
    SecureRandom random = new SecureRandom();
    byte[] uuid = new byte[16];
    String id;
    do {
      random.nextBytes(uuid);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
    } while (id.startsWith("-"));
    return id;
  }

  private void launch() {
    long started = System.nanoTime();
    process =
        ManagedProcess.start(
            "kafka-broker:" + port,
            javaCommand("-Xms256m", "-Xmx768m", "kafka.Kafka", properties.toString()),
            Map.of(),
            dataDir.resolve("broker.log"));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!FreePorts.isListening("127.0.0.1", port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String tail = process.logTail(40);
        process.kill();
        throw new IllegalStateException(
            "Kafka broker did not start on port " + port + "; log " + process.log() + ":\n" + tail);
      }
      sleep(200);
    }
    // A metadata round trip proves the broker (not only its socket) is serving.
    runTool(
        "kafka-topics-list",
        List.of(
            "org.apache.kafka.tools.TopicCommand",
            "--bootstrap-server",
            bootstrapServers(),
            "--list"));
    log.info(
        "Kafka broker {} up in {} ms (data {})",
        bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        dataDir);
  }

  /** Runs a Kafka tool in its own JVM and returns its output. */
  private String runTool(String name, List<String> mainAndArgs) {
    List<String> command =
        new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(mainAndArgs);
    ManagedProcess tool =
        ManagedProcess.start(
            name,
            javaCommand(command.toArray(String[]::new)),
            Map.of(),
            dataDir.resolve(name + "-" + TOOL_RUNS.incrementAndGet() + ".log"));
    int exit = tool.waitFor(120);
    if (exit != 0) {
      throw new IllegalStateException(
          name + " failed with exit code " + exit + ":\n" + tool.logTail(30));
    }
    try {
      return Files.readString(tool.log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Kafka tool's JVM (the broker's classpath: Kafka's own jars from Maven Central). */
  List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath);
    command.add("-Dlog4j2.level=WARN");
    command.addAll(List.of(args));
    return command;
  }

  private static String brokerClasspath() {
    try (InputStream in =
        KafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLASSPATH_RESOURCE
                + " is not on the classpath: depend on dev.rampart:rampart-kafka-broker (with an"
                + " exclusion of *) and build it (mvn install -pl e2e-tests/kafka-broker)");
      }
      String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String missing =
          java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
              .filter(entry -> !Files.exists(Paths.get(entry)))
              .findFirst()
              .orElse(null);
      if (missing != null) {
        throw new IllegalStateException(
            "the Kafka broker classpath names a missing jar ("
                + missing
                + "): rebuild e2e-tests/kafka-broker (mvn install -pl e2e-tests/kafka-broker)");
      }
      return classpath;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
}
