package dev.rampart.e2e.chart;

import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kube.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The rampart-operator chart as the Go-built helm CLI sees it. */
final class Chart {
  static final String RELEASE = "rampart";
  static final String NAMESPACE = "rampart-system";

  /** The names the chart gives a release called {@link #RELEASE}. */
  static final String FULLNAME = "rampart-rampart-operator";

  static final String LEASE = FULLNAME + "-leader";

  private Chart() {}

  static Path dir() {
    return RepoPaths.root().resolve("charts").resolve("rampart-operator");
  }

  static Path sample(String file) {
    return dir().resolve("samples").resolve(file);
  }

  static Command helm(String... args) {
    List<String> line = new ArrayList<>();
    line.add(Toolchain.current().helm().toString());
    line.addAll(List.of(args));
    return Command.run(line);
  }

  /**
   * helm template of the chart as release {@link #RELEASE} in {@link #NAMESPACE}; extra args are
   * --set etc.
   */
  static Command template(String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, dir().toString(), "--namespace", NAMESPACE));
    args.addAll(List.of(extraArgs));
    return helm(args.toArray(String[]::new));
  }

  static RenderedChart render(String... extraArgs) {
    return RenderedChart.parse(template(extraArgs).outputOrThrow());
  }
}
