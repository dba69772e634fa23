package dev.rampart.platform;

import akka.actor.ActorSystem;
import akka.actor.CoordinatedShutdown;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Readiness check (registered in rampart-platform.conf): false from the moment coordinated shutdown
 * starts. Akka's membership check turns false only at cluster-leave, after the gRPC server has
 * unbound; this one turns false before the first phase, and the drain task in {@code
 * before-service-unbind} ({@link ServiceRuntime}) gives callers time to stop choosing this pod.
 */
public final class ShutdownReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final CoordinatedShutdown shutdown;

  public ShutdownReadinessCheck(ActorSystem system) {
    this.shutdown = CoordinatedShutdown.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(shutdown.getShutdownReason().isEmpty());
  }
}
