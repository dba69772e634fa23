package dev.rampart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output goes to a log file, and which never outlives the JVM that started
 * it.
 */
public final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ManagedProcess start(
      String name, List<String> command, Map<String, String> env, Path log) {
    return start(name, command, env, log, null);
  }

  /**
   * Standard output to {@code stdout} alone (a tool's output, kept apart from its log lines),
   * standard error to {@code log}; with {@code stdout} null both go to {@code log}.
   */
  public static ManagedProcess start(
      String name, List<String> command, Map<String, String> env, Path log, Path stdout) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      if (stdout == null) {
        builder
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      } else {
        builder
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      ManagedProcess managed = new ManagedProcess(name, process, log);
      Runtime.getRuntime().addShutdownHook(new Thread(managed::kill, "stop-" + name));
      return managed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** The last lines of the log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int waitFor(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        kill();
        throw new IllegalStateException(
            name + " did not finish within " + seconds + " s; log:\n" + logTail(40));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL, no shutdown: what a crashed node looks like. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL after a grace period of 15 s. */
  @Override
  public void close() {
    close(Duration.ofSeconds(15));
  }

  /** SIGTERM, then SIGKILL if the process has not ended within {@code grace}. */
  public void close(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
