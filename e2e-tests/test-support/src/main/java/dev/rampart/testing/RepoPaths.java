package dev.rampart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the repository, its generated CRDs and the third-party CRDs are, from any module's tests.
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
   * A third-party CRD (Strimzi, Gateway API) by its name, e.g. {@code
   * kafkatopics.kafka.strimzi.io}, as the module {@code e2e-tests/third-party-crds} generates it
   * from the operator's own model libraries.
   */
  public static Path thirdPartyCrd(String crdName) {
    for (String file : List.of(crdName + ".yml", crdName + "-v1.yml")) {
      Path path = thirdPartyCrds().resolve(file);
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    throw new IllegalStateException("no generated CRD " + crdName + " in " + thirdPartyCrds());
  }

  /** The Gateway API CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute), sorted by file name. */
  public static List<Path> gatewayApiCrds() {
    try (Stream<Path> files = Files.list(thirdPartyCrds())) {
      return files
          .filter(p -> p.getFileName().toString().contains(".gateway.networking.k8s.io"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path thirdPartyCrds() {
    Path dir = root().resolve("e2e-tests/third-party-crds/target/classes/third-party-crds");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "third-party CRDs not generated yet at "
              + dir
              + ": build them with ./mvnw -pl e2e-tests/third-party-crds package (any reactor build"
              + " that includes the module does)");
    }
    return dir;
  }
}
