package dev.rampart.peers;

import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JVM's common ForkJoinPool at least {@link #MIN_PARALLELISM} threads. Every
 * CompletionStage that Akka hands to Java code (ask, gRPC client calls, {@code toStrict}) is a
 * Scala converter whose {@code thenApply}, {@code handle}, {@code thenCompose}... run as their
 * {@code *Async} variants on the default executor; on a machine or pod with 2 CPUs or fewer the
 * common pool's default parallelism is 1, and then that default executor is CompletableFuture's
 * thread-per-task executor: a new thread for every completion. The profile of the order pipeline on
 * 2 cores showed 35–75 threads started per second in each JVM at 50 orders/s. Must run first in
 * {@code main}, before anything uses the common pool (its size is fixed then).
 */
public final class CompletionPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** Room for a completion that blocks a moment without stalling the others. */
  public static final int MIN_PARALLELISM = 4;

  private CompletionPool() {}

  /**
   * Sets the common pool's parallelism unless the JVM was given one; returns the pool's parallelism
   * (less than asked only when the pool was already in use).
   */
  public static int configure() {
    if (System.getProperty(PARALLELISM) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, Integer.toString(Math.max(MIN_PARALLELISM, cores)));
    }
    return ForkJoinPool.getCommonPoolParallelism();
  }
}
