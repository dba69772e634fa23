package dev.rampart.testing.kafka;

import dev.rampart.testing.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka's own console consumer ({@code kafka-console-consumer.sh}, i.e. {@value #MAIN}) as a third
 * party runs it: its own JVM on Kafka's jars from Maven Central (the broker's classpath), reading a
 * topic in a consumer group of its own. Each record is one line, {@code <key> TAB <value>}, the
 * value printed by Kafka's {@code BytesDeserializer}: printable ASCII as is, every other byte (and
 * the backslash) as {@code \xHH} — lossless, so binary values survive the text output.
 */
public final class KafkaConsoleConsumer implements AutoCloseable {
  public static final String MAIN = "org.apache.kafka.tools.consumer.ConsoleConsumer";
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** One record as the console consumer printed it, the value unescaped to its bytes. */
  public record Line(String key, byte[] value) {}

  private final ManagedProcess process;
  private final Path stdout;
  private final List<String> arguments;

  private KafkaConsoleConsumer(KafkaBroker broker, List<String> arguments) {
    this.arguments = arguments;
    int run = RUNS.incrementAndGet();
    this.stdout = broker.dataDir().resolve("console-consumer-" + run + ".out");
    List<String> command = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", MAIN));
    command.addAll(arguments);
    this.process =
        ManagedProcess.start(
            "kafka-console-consumer-" + run,
            broker.javaCommand(command.toArray(String[]::new)),
            Map.of(),
            broker.dataDir().resolve("console-consumer-" + run + ".log"),
            stdout);
  }

  /**
   * Starts {@code kafka-console-consumer.sh --bootstrap-server <broker> --topic <topic> --group
   * <group> --from-beginning} with the key and escaped value printed, and leaves it running.
   */
  public static KafkaConsoleConsumer fromBeginning(KafkaBroker broker, String topic, String group) {
    return new KafkaConsoleConsumer(
        broker,
        List.of(
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--group",
            group,
            "--from-beginning",
            "--formatter-property",
            "print.key=true",
            "--formatter-property",
            "key.separator=\t",
            "--formatter-property",
            "value.deserializer=org.apache.kafka.common.serialization.BytesDeserializer"));
  }

  /** The arguments after the main class: what follows {@code kafka-console-consumer.sh}. */
  public List<String> arguments() {
    return arguments;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The records printed so far (complete lines only). */
  public List<Line> lines() {
    String out;
    try {
      out = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.US_ASCII) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int end = out.indexOf('\n'); end >= 0; end = out.indexOf('\n', start)) {
      String line = out.substring(start, end);
      start = end + 1;
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new IllegalStateException("not a <key> TAB <value> line: " + line);
      }
      lines.add(new Line(line.substring(0, tab), unescape(line.substring(tab + 1))));
    }
    return lines;
  }

  /** The consumer's log (its standard error), for failure messages. */
  public String logTail(int lines) {
    return process.logTail(lines);
  }

  /** The inverse of Kafka's {@code Bytes.toString}: {@code \xHH} is one byte, the rest ASCII. */
  static byte[] unescape(String printed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(printed.length());
    for (int i = 0; i < printed.length(); i++) {
      char c = printed.charAt(i);
      if (c == '\\') {
        if (i + 4 > printed.length() || printed.charAt(i + 1) != 'x') {
          throw new IllegalArgumentException("bad escape at " + i + ": " + printed);
        }
        bytes.write(Integer.parseInt(printed.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    process.close();
  }
}
