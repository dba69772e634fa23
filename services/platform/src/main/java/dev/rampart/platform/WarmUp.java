package dev.rampart.platform;

import akka.Done;
import akka.actor.AbstractExtensionId;
import akka.actor.ClassicActorSystemProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new node does before it says Ready ({@link WarmUpReadinessCheck}), with {@code
 * rampart.warm-up.enabled = on}: its first calls (a pool's connections opened, a peer's channel
 * resolved, a first entity recovered, the code paths compiled) are made by the node itself, not by
 * the callers it gets once Ready. In a rolling update the old pod is stopped, and its shards handed
 * to this node, only once this node is Ready. Each step is tried again until it succeeds; after
 * {@code rampart.warm-up.timeout} the node is Ready anyway (a peer that is down must not keep it
 * out).
 */
public final class WarmUp implements Extension {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final Id ID = new Id();
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ExtendedActorSystem system;
  private final boolean enabled;
  private final Duration timeout;
  private volatile boolean done;

  private WarmUp(ExtendedActorSystem system) {
    this.system = system;
    var config = system.settings().config();
    this.enabled = config.getBoolean("rampart.warm-up.enabled");
    this.timeout = config.getDuration("rampart.warm-up.timeout");
  }

  public static WarmUp get(ClassicActorSystemProvider system) {
    return ID.get(system.classicSystem());
  }

  /** True once {@link #run} finished (at once when warm-up is off). */
  boolean done() {
    return !enabled || done;
  }

  /**
   * Runs the steps (name → one try) one after the other, each until it succeeds or the warm-up's
   * time is up; completes when the node is warm.
   */
  public CompletionStage<Done> run(Map<String, Supplier<CompletionStage<?>>> steps) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long start = System.nanoTime();
    CompletionStage<Done> all = CompletableFuture.completedFuture(Done.getInstance());
    for (var step : new LinkedHashMap<>(steps).entrySet()) {
      all = all.thenCompose(x -> untilDone(step.getKey(), step.getValue(), deadline, 1));
    }
    return all.whenComplete(
        (x, e) -> {
          log.info("Warm-up done in {} ms: ready", (System.nanoTime() - start) / 1_000_000);
          done = true;
        });
  }

  // Done, not null: Patterns.after never completes a stage whose value is null
  private CompletionStage<Done> untilDone(
      String name, Supplier<CompletionStage<?>> step, long deadline, int attempt) {
    long t0 = System.nanoTime();
    CompletionStage<?> tried;
    try {
      tried = step.get();
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    return tried
        .handle(
            (ok, failure) -> {
              if (failure == null) {
                log.info(
                    "Warm-up {}: done in {} ms (attempt {})",
                    name,
                    (System.nanoTime() - t0) / 1_000_000,
                    attempt);
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              if (System.nanoTime() + RETRY.toNanos() > deadline) {
                log.warn("Warm-up {}: gave up after {} attempts: {}", name, attempt, failure);
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              log.info(
                  "Warm-up {}: attempt {} failed, again in {}: {}", name, attempt, RETRY, failure);
              return Patterns.after(
                  RETRY,
                  system.scheduler(),
                  system.dispatcher(),
                  () -> untilDone(name, step, deadline, attempt + 1));
            })
        .thenCompose(s -> s);
  }

  private static final class Id extends AbstractExtensionId<WarmUp> {
    @Override
    public WarmUp createExtension(ExtendedActorSystem system) {
      return new WarmUp(system);
    }
  }
}
