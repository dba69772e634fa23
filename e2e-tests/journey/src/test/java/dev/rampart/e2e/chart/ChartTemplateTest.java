package dev.rampart.e2e.chart;

import static dev.rampart.e2e.chart.Chart.FULLNAME;
import static dev.rampart.e2e.chart.Chart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * helm template, parsed: what the chart asks Kubernetes for, with default and non-default values.
 */
class ChartTemplateTest {
  private static final String SA_SUBJECT = "ServiceAccount " + NAMESPACE + "/" + FULLNAME;

  @Test
  void defaultsRenderAHardenedOperatorDeployment() {
    var chart = Chart.render();
    Deployment deployment = chart.one(Deployment.class, NAMESPACE, FULLNAME);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/rampart/rampart-operator:0.1.0");
    assertThat(operator.getImagePullPolicy()).isEqualTo("IfNotPresent");
    // the labels the systems' NetworkPolicies admit to the management port (SystemWall)
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "rampart-operator")
        .containsEntry("app.kubernetes.io/component", "operator")
        .doesNotContainKey("rampart.dev/system");

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = operator.getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getPrivileged()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // read-only root, but the JVM gets a writable /tmp
    assertThat(operator.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(pod.getVolumes())
        .anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);

    assertThat(operator.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"))
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");

    Map<String, EnvVar> env =
        operator.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");
    assertThat(env.get("RAMPART_WATCH_NAMESPACES").getValue()).isEmpty();
    assertThat(env.get("RAMPART_LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env.get("RAMPART_OPERATOR_HTTP_PORT").getValue()).isEqualTo("8080");
    // the Lease the operator uses is the one its Role grants (OperatorPermissions names it)
    assertThat(env.get("RAMPART_LEASE_NAME").getValue())
        .isEqualTo("rampart-rampart-operator-leader");
  }

  @Test
  void defaultsGrantExactlyTheOperatorsRightsClusterWide() {
    var chart = Chart.render();

    ClusterRole clusterRole = chart.one(ClusterRole.class, null, FULLNAME);
    assertThat(RenderedChart.permissions(clusterRole.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.clusterWide());
    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class, null, FULLNAME);
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getKind() + " " + s.getNamespace() + "/" + s.getName())
                    .isEqualTo(SA_SUBJECT));

    Role lease = chart.one(Role.class, NAMESPACE, FULLNAME + "-leader-election");
    assertThat(RenderedChart.permissions(lease.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.leaderElection());
    assertThat(
            chart
                .one(RoleBinding.class, NAMESPACE, FULLNAME + "-leader-election")
                .getRoleRef()
                .getName())
        .isEqualTo(FULLNAME + "-leader-election");

    Role apiServer = chart.one(Role.class, "default", FULLNAME + "-api-server");
    assertThat(RenderedChart.permissions(apiServer.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.apiServerEndpoints());
    assertThat(chart.one(RoleBinding.class, "default", FULLNAME + "-api-server").getSubjects())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.getKind() + " " + s.getNamespace() + "/" + s.getName())
                    .isEqualTo(SA_SUBJECT));

    // nothing else grants anything: one ClusterRole, two Roles (the Lease, the API server's slice)
    assertThat(chart.all(ClusterRole.class)).hasSize(1);
    assertThat(chart.all(Role.class)).hasSize(2);
    assertThat(chart.one(ServiceAccount.class, NAMESPACE, FULLNAME)).isNotNull();
  }

  @Test
  void listedNamespacesGetARoleEachAndTheClusterRoleShrinksToCrdPresence() {
    var chart = Chart.render("--set", "watchNamespaces={shop,staging}");

    assertThat(RenderedChart.permissions(chart.one(ClusterRole.class, null, FULLNAME).getRules()))
        .containsExactlyElementsOf(OperatorPermissions.clusterScoped());
    for (String namespace : new String[] {"shop", "staging"}) {
      Role role = chart.one(Role.class, namespace, FULLNAME);
      assertThat(RenderedChart.permissions(role.getRules()))
          .containsExactlyElementsOf(OperatorPermissions.namespaced());
      RoleBinding binding = chart.one(RoleBinding.class, namespace, FULLNAME);
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.getKind() + " " + s.getNamespace() + "/" + s.getName())
                      .isEqualTo(SA_SUBJECT));
    }
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "staging", NAMESPACE, "default");
    Container operator =
        chart
            .one(Deployment.class, NAMESPACE, FULLNAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(operator.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("RAMPART_WATCH_NAMESPACES")
                    && e.getValue().equals("shop,staging"));
  }

  @Test
  void nonDefaultValuesReachTheObjects() {
    var chart =
        Chart.render(
            "--set",
            String.join(
                ",",
                "replicas=1",
                "leaderElection.enabled=false",
                "httpPort=9090",
                "image.repository=registry.local:5000/rampart/op",
                "image.tag=dev-1",
                "image.pullPolicy=Always",
                "metrics.serviceMonitor.enabled=true",
                "metrics.serviceMonitor.labels.release=prom",
                "metrics.service.port=9100",
                "crds.install=false",
                "serviceAccount.create=false",
                "serviceAccount.name=ops-sa",
                "nodeSelector.pool=system"));
    Deployment deployment = chart.one(Deployment.class, NAMESPACE, FULLNAME);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(operator.getImage()).isEqualTo("registry.local:5000/rampart/op:dev-1");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    assertThat(operator.getPorts().get(0).getContainerPort()).isEqualTo(9090);
    assertThat(operator.getEnv())
        .anyMatch(
            e -> e.getName().equals("RAMPART_LEADER_ELECTION") && e.getValue().equals("false"));
    assertThat(operator.getEnv())
        .anyMatch(
            e -> e.getName().equals("RAMPART_OPERATOR_HTTP_PORT") && e.getValue().equals("9090"));
    assertThat(pod.getServiceAccountName()).isEqualTo("ops-sa");
    assertThat(pod.getNodeSelector()).containsEntry("pool", "system");
    assertThat(chart.all(ServiceAccount.class)).isEmpty();
    assertThat(chart.all(CustomResourceDefinition.class)).isEmpty();
    assertThat(chart.find(Role.class, NAMESPACE, FULLNAME + "-leader-election")).isEmpty();
    assertThat(chart.one(ClusterRoleBinding.class, null, FULLNAME).getSubjects().get(0).getName())
        .isEqualTo("ops-sa");

    var service =
        chart.one(io.fabric8.kubernetes.api.model.Service.class, NAMESPACE, FULLNAME + "-metrics");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(9100);
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    GenericKubernetesResource monitor =
        chart.one(GenericKubernetesResource.class, NAMESPACE, FULLNAME);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    assertThat(monitor.get("spec", "endpoints", 0, "port").toString()).isEqualTo("http-metrics");
    assertThat(monitor.get("spec", "endpoints", 0, "path").toString()).isEqualTo("/metrics");
  }

  @Test
  void serviceMonitorIsOffByDefaultAndADigestWinsOverTheTag() {
    var defaults = Chart.render();
    assertThat(defaults.all(GenericKubernetesResource.class)).isEmpty();

    String digest = "sha256:" + "ab".repeat(32);
    var pinned = Chart.render("--set", "image.digest=" + digest + ",image.tag=ignored");
    assertThat(
            pinned
                .one(Deployment.class, NAMESPACE, FULLNAME)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("ghcr.io/rampart/rampart-operator@" + digest);
  }
}
