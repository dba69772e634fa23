package dev.rampart.e2e.pods;

import dev.rampart.contract.Images;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Rampart's images as the modules that build them: the classpath is the module's classes plus the
 * runtime classpath Maven recorded (target/runtime.classpath), the main class is the jar manifest's
 * — the same {@code rampart.main.class} property Jib uses as the image's entrypoint.
 */
public final class LocalImages {
  private LocalImages() {}

  /** Image repository → module directory (relative to the repository root). */
  public static Map<String, String> modules() {
    Map<String, String> modules = new LinkedHashMap<>();
    modules.put(Images.OPERATOR, "operator");
    modules.put(Images.ORDER, "services/order");
    modules.put(Images.USER, "services/user");
    modules.put(Images.SHIPPING, "services/shipping");
    modules.put(Images.GATEWAY, "gateway");
    return modules;
  }

  /**
   * A catalog of every module that has been packaged (mvn package); others are reported missing by
   * the runner.
   */
  public static ImageCatalog catalog(Path repoRoot) {
    ImageCatalog catalog = new ImageCatalog();
    modules()
        .forEach(
            (image, module) ->
                launchOf(repoRoot.resolve(module))
                    .ifPresent(launch -> catalog.register(image, launch)));
    return catalog;
  }

  public static java.util.Optional<Launch> launchOf(Path module) {
    Path target = module.resolve("target");
    Path recorded = target.resolve("runtime.classpath");
    if (!Files.isRegularFile(recorded)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      String mainClass = null;
      for (Path jar : jars) {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
          String candidate =
              jarFile.getManifest() == null
                  ? null
                  : jarFile.getManifest().getMainAttributes().getValue("Main-Class");
          if (candidate != null && !candidate.isBlank()) {
            mainClass = candidate;
            break;
          }
        }
      }
      if (jars.isEmpty()) {
        return java.util.Optional.empty();
      }
      if (mainClass == null) {
        throw new IllegalStateException(
            "no jar in "
                + target
                + " has a Main-Class: set rampart.main.class in "
                + module.resolve("pom.xml"));
      }
      String classpath =
          target.resolve("classes") + File.pathSeparator + Files.readString(recorded).trim();
      return java.util.Optional.of(new Launch(classpath, mainClass, List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
