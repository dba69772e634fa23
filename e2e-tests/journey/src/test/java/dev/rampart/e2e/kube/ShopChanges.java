package dev.rampart.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.operator.desired.AppVersion;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Day-2 changes to the shop as a user makes them (a JSON patch of the MicroserviceSystem, as with
 * {@code kubectl patch}) and what a user watches while they take effect: the Deployment's rollout,
 * its app-version, the system's Ready condition.
 */
final class ShopChanges {
  private final ShopCluster cluster;

  ShopChanges(ShopCluster cluster) {
    this.cluster = cluster;
  }

  void patch(String jsonPatch) {
    cluster.kubectl(
        "patch",
        "msys",
        ShopCluster.SYSTEM,
        "-n",
        ShopCluster.NAMESPACE,
        "--type=json",
        "-p",
        jsonPatch);
  }

  int serviceIndex(String service) {
    List<Map<String, Object>> services = cluster.system().get("spec", "services");
    for (int i = 0; i < services.size(); i++) {
      if (service.equals(services.get(i).get("name"))) {
        return i;
      }
    }
    throw new IllegalArgumentException("no service " + service);
  }

  void scale(String service, int replicas) {
    patch(
        "[{\"op\":\"replace\",\"path\":\"/spec/services/"
            + serviceIndex(service)
            + "/replicas\",\"value\":"
            + replicas
            + "}]");
  }

  /** Sets the service's extra environment (services[].env) to this one variable. */
  void setEnv(String service, String name, String value) {
    patch(
        "[{\"op\":\"add\",\"path\":\"/spec/services/"
            + serviceIndex(service)
            + "/env\",\"value\":[{\"name\":\""
            + name
            + "\",\"value\":\""
            + value
            + "\"}]}]");
  }

  Deployment deployment(String service) {
    List<Deployment> found =
        cluster
            .client()
            .apps()
            .deployments()
            .inNamespace(ShopCluster.NAMESPACE)
            .withLabel(Labels.SYSTEM, ShopCluster.SYSTEM)
            .withLabel(Labels.SERVICE, service)
            .list()
            .getItems();
    assertThat(found).as("the Deployment of " + service).hasSize(1);
    return found.get(0);
  }

  /** The app-version the operator keeps on the Deployment (0 without). */
  int appVersion(String service) {
    Map<String, String> annotations = deployment(service).getMetadata().getAnnotations();
    return annotations == null
        ? 0
        : Integer.parseInt(annotations.getOrDefault(AppVersion.VERSION_ANNOTATION, "0"));
  }

  /** RAMPART_APP_VERSION in the Deployment's pod template (what new pods get). */
  String templateAppVersion(String service) {
    return deployment(service)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> Env.APP_VERSION.equals(e.getName()))
        .map(e -> e.getValue())
        .findFirst()
        .orElse("");
  }

  /** The rollout is done: every replica updated and available, and the system Ready. */
  void awaitRolledOut(String service, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Deployment d = deployment(service);
              int replicas = d.getSpec().getReplicas();
              var status = d.getStatus();
              assertThat(status.getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
              assertThat(status.getUpdatedReplicas()).as("updated").isEqualTo(replicas);
              assertThat(status.getReplicas()).as("replicas").isEqualTo(replicas);
              assertThat(status.getAvailableReplicas()).as("available").isEqualTo(replicas);
              assertThat(systemReady()).as("system Ready").isTrue();
            });
  }

  /** Every pod of the service is one of the Deployment's replicas: none is still terminating. */
  void awaitNoPodTerminating(String service, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(pods(service))
                    .as(service + " pods")
                    .hasSize(deployment(service).getSpec().getReplicas())
                    .allSatisfy(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull()));
  }

  List<Pod> pods(String service) {
    return cluster.pods(service);
  }

  boolean systemReady() {
    List<Map<String, Object>> conditions = cluster.system().get("status", "conditions");
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /** services[].clusterMembers.up of the system's status. */
  int membersUp(String service) {
    List<Map<String, Object>> services = cluster.system().get("status", "services");
    return services.stream()
        .filter(s -> service.equals(s.get("name")))
        .map(s -> (Map<?, ?>) s.get("clusterMembers"))
        .map(m -> m == null || m.get("up") == null ? -1 : ((Number) m.get("up")).intValue())
        .findFirst()
        .orElse(-1);
  }
}
