package dev.rampart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules over every file of the checkout (tracked, or new and not ignored). */
class RepositoryHygieneTest {
  /** Spelled in two parts so that this file does not match itself. */
  private static final String OUTSIDE = ".." + "/shared";

  private static final int MAX_COLUMNS = 120;
  private static List<Path> files;

  @BeforeAll
  static void listFiles() {
    String listed =
        Command.run(
            List.of(
                "git",
                "-C",
                RepoPaths.root().toString(),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard"),
            Duration.ofSeconds(30));
    files =
        Arrays.stream(listed.split("\0"))
            .filter(name -> !name.isBlank())
            .map(RepoPaths.root()::resolve)
            .filter(Files::isRegularFile)
            .toList();
    assertThat(files).as("files of the checkout").hasSizeGreaterThan(100);
  }

  /** A user's clone has nothing beside it: the build, tests and scripts read only the checkout. */
  @Test
  void noFileRefersToAPathBesideTheCheckout() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      if (text.contains(OUTSIDE)) {
        offenders.add(RepoPaths.root().relativize(file).toString());
      }
    }
    assertThat(offenders).as("files that refer to %s", OUTSIDE).isEmpty();
  }

  /** google-java-format keeps code within 100 columns; this catches what it cannot wrap. */
  @Test
  void noJavaLineIsLongerThan120Columns() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : files) {
      if (!file.toString().endsWith(".java")) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).length() > MAX_COLUMNS) {
          offenders.add(RepoPaths.root().relativize(file) + ":" + (i + 1));
        }
      }
    }
    assertThat(offenders).as("lines over %d columns", MAX_COLUMNS).isEmpty();
  }
}
