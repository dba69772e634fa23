package dev.rampart.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fresh JVM that sees 2 CPUs, as a pod with a CPU limit of 2 does: after configure() an async
 * completion runs on a pooled thread, not on a thread of its own.
 */
class CompletionPoolTest {
  /** Run in the child JVM: prints the parallelism and the kind of thread a completion ran on. */
  public static void main(String[] args) throws Exception {
    int parallelism = CompletionPool.configure();
    Thread ran = CompletableFuture.supplyAsync(Thread::currentThread).get(10, TimeUnit.SECONDS);
    System.out.println(
        parallelism + " " + (ran instanceof ForkJoinWorkerThread ? "pooled" : "own"));
  }

  @Test
  void completionsRunOnThePoolWithTwoCpus() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=2",
                "-cp",
                System.getProperty("java.class.path"),
                CompletionPoolTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes()).trim();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(CompletionPool.MIN_PARALLELISM + " pooled");
  }
}
