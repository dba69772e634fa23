package dev.rampart.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.testing.RepoPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway's web app in a real browser against the local system (every service its own JVM,
 * Kafka, PostgreSQL, the carrier simulator, the dev token issuer): {@code
 * e2e-tests/browser/shop-journey.mjs}, Debian's headless Chromium driven by playwright-core, run by
 * node. Outside CI it is skipped, saying why, when Chromium or the npm packages are missing ({@code
 * bash e2e-tests/bin/run-tests} installs both); in CI ({@code CI} set) it must run.
 */
@Tag("slow")
class BrowserJourneyTest {
  static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  static final Path BROWSER_DIR = RepoPaths.root().resolve("e2e-tests/browser");
  static final Path SCREENSHOTS = RepoPaths.root().resolve("e2e-tests/journey/target/browser");
  private static LocalServices local;

  @BeforeAll
  static void start() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) missing.add(CHROMIUM + " (Debian's chromium package)");
    if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")))
      missing.add("playwright-core (npm ci in " + BROWSER_DIR + ")");
    if (!missing.isEmpty()) {
      String message =
          "the browser test needs "
              + String.join(" and ", missing)
              + "; bash e2e-tests/bin/run-tests installs them";
      if (System.getenv("CI") != null)
        throw new IllegalStateException(message + " (CI: not skipped)");
      Assumptions.abort(message);
    }
    local = LocalServices.start(1, message -> System.out.println("==> " + message));
  }

  @AfterAll
  static void stop() {
    if (local != null) local.close();
  }

  @Test
  void signInRegisterOrderWatchItLiveReloadAndAnotherUserSeesNone() throws Exception {
    ProcessBuilder node =
        new ProcessBuilder("node", "shop-journey.mjs")
            .directory(BROWSER_DIR.toFile())
            .redirectErrorStream(true);
    node.environment().put("GATEWAY_URL", local.gatewayUrl().toString());
    node.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toString());
    node.environment().put("CHROMIUM", CHROMIUM.toString());
    Process process = node.start();
    StringBuilder output = new StringBuilder();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  System.out.println(line);
                  output.append(line).append('\n');
                }
              } catch (java.io.IOException e) {
                output.append("(output lost: ").append(e).append(")\n");
              }
            });
    pump.start();
    boolean exited = process.waitFor(6, TimeUnit.MINUTES);
    if (!exited) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    pump.join(10_000);
    assertThat(exited && process.exitValue() == 0)
        .as(
            "node shop-journey.mjs %s:%n%s%nprocess logs:%n%s",
            exited ? "exited " + process.exitValue() : "did not end in 6 minutes",
            output,
            local.logTails(20))
        .isTrue();
    assertThat(SCREENSHOTS.resolve("web-app.png")).isNotEmptyFile();
  }
}
