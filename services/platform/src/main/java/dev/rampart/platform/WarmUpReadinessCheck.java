package dev.rampart.platform;

import akka.actor.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check (registered in rampart-platform.conf): false until the node's {@link WarmUp} has
 * run, when the service turns warm-up on.
 */
public final class WarmUpReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final WarmUp warmUp;

  public WarmUpReadinessCheck(ActorSystem system) {
    this.warmUp = WarmUp.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(warmUp.done());
  }
}
