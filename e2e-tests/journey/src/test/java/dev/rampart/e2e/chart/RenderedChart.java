package dev.rampart.e2e.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The objects `helm template` printed, as fabric8 model objects. */
record RenderedChart(List<HasMetadata> objects) {
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  static RenderedChart parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
      boolean onlyComments =
          document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"));
      if (!onlyComments) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return new RenderedChart(List.copyOf(objects));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
    return all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace))
        .findFirst();
  }

  <T extends HasMetadata> T one(Class<T> type, String namespace, String name) {
    return find(type, namespace, name)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + type.getSimpleName()
                        + " "
                        + namespace
                        + "/"
                        + name
                        + " in "
                        + kindsAndNames()));
  }

  List<String> kindsAndNames() {
    return objects.stream()
        .map(
            o ->
                o.getKind()
                    + " "
                    + o.getMetadata().getNamespace()
                    + "/"
                    + o.getMetadata().getName())
        .toList();
  }

  /**
   * RBAC rules as one line per permission ("apps deployments * create"; group "" is core, resource
   * name "*" is any), so two rule lists compare regardless of how the permissions are grouped into
   * rules.
   */
  static TreeSet<String> permissions(List<PolicyRule> rules) {
    TreeSet<String> lines = new TreeSet<>();
    for (PolicyRule rule : rules) {
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? List.of("*")
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              lines.add(
                  (group.isEmpty() ? "core" : group) + " " + resource + " " + name + " " + verb);
            }
          }
        }
      }
    }
    return lines;
  }
}
