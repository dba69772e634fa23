package dev.rampart.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the repository, its generated CRDs and the shared third-party CRDs are, from any module's
 * tests.
 */
public final class RepoPaths {
  private RepoPaths() {}

  /**
   * The repository root: the directory holding the root pom (surefire passes it as
   * rampart.repo.root).
   */
  public static Path root() {
    String configured = System.getProperty("rampart.repo.root");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("e2e-tests"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find the Rampart repository root above " + Paths.get("").toAbsolutePath());
  }

  /** The CRDs Rampart generates ({@code crds/}). */
  public static Path crds() {
    return root().resolve("crds");
  }

  /**
   * Released CRDs of Strimzi and the Gateway API ({@code ../shared/crds} beside the repository).
   */
  public static Path sharedCrds() {
    String configured = System.getenv("RAMPART_SHARED_CRDS");
    Path dir =
        configured != null
            ? Paths.get(configured)
            : root().resolveSibling("shared").resolve("crds");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "third-party CRDs not found at "
              + dir
              + " (expected ../shared/crds beside the repository, or set RAMPART_SHARED_CRDS)");
    }
    return dir;
  }
}
