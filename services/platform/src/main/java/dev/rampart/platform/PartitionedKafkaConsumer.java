package dev.rampart.platform;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A service's consumer of one topic, at least once: a record's offset is committed (in batches)
 * only after its handler has completed, so a crash redelivers and the handler must be idempotent.
 * Each partition is its own substream, so a slow partition holds up no other; within one, records
 * of different keys are handled concurrently (bounded), those of one key one after the other, and
 * offsets move on in the partition's order. A failure restarts the consumer with backoff from the
 * last committed offset.
 *
 * <p>{@code config}: {@code topic}, {@code parallelism} (per partition), {@code max-partitions},
 * {@code committer} (Alpakka's committer settings), {@code min-backoff}, {@code max-backoff}.
 */
public final class PartitionedKafkaConsumer {

  /** What a service does with the records of one partition. */
  public interface Handler<T> {
    /** Reads a record once (it must not fail: an unreadable record is the handler's to skip). */
    T parse(ConsumerRecord<String, byte[]> record);

    /** Records of one key are handled one after the other, in the partition's order. */
    String key(T parsed);

    /** Completes when the record is applied (or skipped); a failure restarts the consumer. */
    CompletionStage<Done> handle(T parsed);
  }

  /** Starts consuming; the returned switch stops it. */
  public static <T> UniqueKillSwitch start(
      ActorSystem<?> system,
      ConsumerSettings<String, byte[]> consumerSettings,
      Config config,
      Handler<T> handler) {
    String topic = config.getString("topic");
    int parallelism = config.getInt("parallelism");
    int maxPartitions = config.getInt("max-partitions");
    CommitterSettings committerSettings = CommitterSettings.create(config.getConfig("committer"));
    RestartSettings restart =
        RestartSettings.create(
            config.getDuration("min-backoff"), config.getDuration("max-backoff"), 0.2);

    return RestartSource.onFailuresWithBackoff(
            restart,
            () ->
                Consumer.committablePartitionedSource(consumerSettings, Subscriptions.topics(topic))
                    .flatMapMerge(
                        maxPartitions,
                        partition ->
                            partition
                                .second()
                                .map(
                                    msg ->
                                        new Parsed<>(
                                            msg.committableOffset(), handler.parse(msg.record())))
                                .mapAsyncPartitioned(
                                    parallelism,
                                    1, // one record of a key at a time: their order is kept
                                    parsed -> handler.key(parsed.value()),
                                    (parsed, key) ->
                                        handler
                                            .handle(parsed.value())
                                            .thenApply(done -> parsed.offset())))
                    // the batching committer (Committer.sink's stage), here inside the restart
                    .via(Committer.flow(committerSettings)))
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.left())
        .run(system);
  }

  private record Parsed<T>(akka.kafka.ConsumerMessage.Committable offset, T value) {}

  private PartitionedKafkaConsumer() {}
}
