package dev.rampart.e2e.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of an external program (helm, kubectl): its exit code and what it printed. */
record Command(List<String> line, int exitCode, String stdout, String stderr) {

  static Command run(List<String> line) {
    try {
      Path out = Files.createTempFile("rampart-cmd-", ".out");
      Path err = Files.createTempFile("rampart-cmd-", ".err");
      try {
        Process process =
            new ProcessBuilder(line)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out after 120 s: " + String.join(" ", line));
        }
        return new Command(
            line,
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  boolean succeeded() {
    return exitCode == 0;
  }

  /** stdout, or an exception that shows the command and everything it printed. */
  String outputOrThrow() {
    if (!succeeded()) {
      throw new IllegalStateException(this.toString());
    }
    return stdout;
  }

  @Override
  public String toString() {
    return String.join(" ", line)
        + " -> exit "
        + exitCode
        + "\n--- stdout\n"
        + stdout
        + "--- stderr\n"
        + stderr;
  }
}
