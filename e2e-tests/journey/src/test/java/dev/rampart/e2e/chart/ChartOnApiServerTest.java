package dev.rampart.e2e.chart;

import static dev.rampart.e2e.chart.Chart.FULLNAME;
import static dev.rampart.e2e.chart.Chart.NAMESPACE;
import static dev.rampart.e2e.chart.Chart.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.operator.desired.ApiServerEndpoints;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart on a real API server (kube-apiserver + etcd, RBAC on), driven by the Go-built helm CLI:
 * install, what the operator's ServiceAccount may and may not do, the samples against the installed
 * CRD, the operator itself running under nothing but the chart's RBAC (every request audited),
 * upgrade (CRD included) and uninstall. One control plane for the whole lifecycle, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartOnApiServerTest {
  private static final String OPERATOR_USER = "system:serviceaccount:" + NAMESPACE + ":" + FULLNAME;
  private static final String SHOP = "shop";
  private static final String SHOP_LOCAL = "shop-local";
  private static final String MSYS = "microservicesystems.rampart.dev";

  private Path workDir;
  private ApiServerAudit audit;
  private LocalControlPlane controlPlane;
  private KubernetesClient admin;

  @BeforeAll
  void startControlPlane() throws IOException {
    workDir = Files.createTempDirectory("rampart-chart-");
    audit = ApiServerAudit.ofUser(workDir, OPERATOR_USER);
    var builder = LocalControlPlane.builder();
    audit.apiServerFlags().forEach(builder::withApiServerFlag);
    controlPlane = builder.start();
    admin = controlPlane.client();
    for (String namespace : List.of(NAMESPACE, SHOP, SHOP_LOCAL)) {
      admin
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    // The optional CRDs the operator looks for: with them it makes KafkaTopics and an HTTPRoute.
    // GRPCRoutes too, so
    // that an operator which starts making them without the chart granting it fails the audit
    // below.
    installCrds(
        RepoPaths.thirdPartyCrd("kafkatopics.kafka.strimzi.io"),
        RepoPaths.thirdPartyCrd("httproutes.gateway.networking.k8s.io"),
        RepoPaths.thirdPartyCrd("grpcroutes.gateway.networking.k8s.io"));
  }

  @AfterAll
  void stopControlPlane() {
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp directory is no failure
      }
    }
  }

  @Test
  @Order(1)
  void helmInstallCreatesTheOperatorItsRbacAndTheCrd() {
    Command install = helm("install", RELEASE, Chart.dir().toString(), "--namespace", NAMESPACE);

    assertThat(install.exitCode()).as(install.toString()).isZero();
    assertThat(install.stdout())
        .contains("STATUS: deployed")
        .contains("kubectl -n " + NAMESPACE + " rollout status");

    Deployment deployment =
        admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get();
    assertThat(deployment).isNotNull();
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(FULLNAME);
    assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName(FULLNAME).get()).isNotNull();
    assertThat(admin.services().inNamespace(NAMESPACE).withName(FULLNAME + "-metrics").get())
        .isNotNull();
    ClusterRole clusterRole = admin.rbac().clusterRoles().withName(FULLNAME).get();
    assertThat(RenderedChart.permissions(clusterRole.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.clusterWide());
    assertThat(admin.rbac().clusterRoleBindings().withName(FULLNAME).get()).isNotNull();
    Role lease =
        admin.rbac().roles().inNamespace(NAMESPACE).withName(FULLNAME + "-leader-election").get();
    assertThat(RenderedChart.permissions(lease.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.leaderElection());
    assertThat(
            admin
                .rbac()
                .roleBindings()
                .inNamespace(NAMESPACE)
                .withName(FULLNAME + "-leader-election")
                .get())
        .isNotNull();
    Role apiServer =
        admin.rbac().roles().inNamespace("default").withName(FULLNAME + "-api-server").get();
    assertThat(RenderedChart.permissions(apiServer.getRules()))
        .containsExactlyElementsOf(OperatorPermissions.apiServerEndpoints());

    CustomResourceDefinition crd = awaitEstablished(MSYS);
    assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("msys");
  }

  @Test
  @Order(2)
  void theOperatorsServiceAccountMayDoWhatItNeedsAndNothingElse() {
    List<String> allowed =
        List.of(
            "list microservicesystems.rampart.dev --all-namespaces",
            "watch microservicesystems.rampart.dev -n shop",
            "patch microservicesystems.rampart.dev -n shop",
            "patch microservicesystems.rampart.dev --subresource=status -n shop",
            "create deployments.apps -n shop",
            "patch deployments.apps -n shop",
            "delete deployments.apps -n shop",
            "create roles.rbac.authorization.k8s.io -n shop",
            "create rolebindings.rbac.authorization.k8s.io -n shop",
            "create poddisruptionbudgets.policy -n shop",
            "create networkpolicies.networking.k8s.io -n shop",
            "delete ingresses.networking.k8s.io -n shop",
            "create kafkatopics.kafka.strimzi.io -n shop",
            "patch httproutes.gateway.networking.k8s.io -n shop",
            "list pods -n shop",
            "watch pods -n shop",
            "patch pods -n shop",
            "list secrets -n shop",
            "watch secrets -n shop",
            "list configmaps -n shop",
            "watch configmaps -n shop",
            "create events -n shop",
            "get customresourcedefinitions.apiextensions.k8s.io/kafkatopics.kafka.strimzi.io",
            "watch"
                + " customresourcedefinitions.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io",
            "create leases.coordination.k8s.io -n " + NAMESPACE,
            "get leases.coordination.k8s.io/" + Chart.LEASE + " -n " + NAMESPACE,
            "update leases.coordination.k8s.io/" + Chart.LEASE + " -n " + NAMESPACE,
            "patch leases.coordination.k8s.io/" + Chart.LEASE + " -n " + NAMESPACE,
            "watch endpointslices.discovery.k8s.io/kubernetes -n default");
    List<String> refused =
        List.of(
            "create secrets -n shop",
            "get secrets -n shop",
            "patch configmaps -n shop",
            "delete secrets -n shop",
            "list customresourcedefinitions.apiextensions.k8s.io",
            "delete pods -n shop",
            "create pods -n shop",
            "create pods --subresource=exec -n shop",
            "update pods -n shop",
            "patch pods --subresource=status -n shop",
            "list nodes",
            "update deployments.apps -n shop",
            "create microservicesystems.rampart.dev -n shop",
            "delete microservicesystems.rampart.dev -n shop",
            "update microservicesystems.rampart.dev --subresource=finalizers -n shop",
            "get customresourcedefinitions.apiextensions.k8s.io/kafkas.kafka.strimzi.io",
            "create customresourcedefinitions.apiextensions.k8s.io",
            "create clusterroles.rbac.authorization.k8s.io",
            "create clusterrolebindings.rbac.authorization.k8s.io",
            "escalate roles.rbac.authorization.k8s.io -n shop",
            "bind roles.rbac.authorization.k8s.io -n shop",
            "impersonate serviceaccounts -n shop",
            "create leases.coordination.k8s.io -n shop",
            "update leases.coordination.k8s.io/someone-elses-lease -n " + NAMESPACE,
            "create serviceaccounts --subresource=token -n shop",
            "list endpointslices.discovery.k8s.io -n default",
            "watch endpointslices.discovery.k8s.io -n shop",
            "get endpointslices.discovery.k8s.io/kubernetes -n default");

    List<String> wrong = new ArrayList<>();
    allowed.forEach(
        question -> {
          if (!canI(question)) {
            wrong.add("refused but needed: " + question);
          }
        });
    refused.forEach(
        question -> {
          if (canI(question)) {
            wrong.add("allowed but must not be: " + question);
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  @Order(3)
  void theSamplesAreValidMicroserviceSystems() {
    String full =
        controlPlane.kubectl(
            "apply", "--server-side", "-n", SHOP, "-f", Chart.sample("shop.yaml").toString());
    String local =
        controlPlane.kubectl(
            "apply",
            "--server-side",
            "-n",
            SHOP_LOCAL,
            "-f",
            Chart.sample("shop-local.yaml").toString());
    assertThat(full).contains("microservicesystem.rampart.dev/shop serverside-applied");
    assertThat(local).contains("microservicesystem.rampart.dev/shop serverside-applied");

    GenericKubernetesResource shop = system(SHOP);
    assertThat(names(shop, "services")).containsExactly("order", "user", "shipping");
    assertThat(names(shop.get("spec", "kafka"), "topics"))
        .containsExactly("order-events", "order-events-public", "shipment-events");
    assertThat((Object) shop.get("spec", "gateway", "routes")).asList().hasSize(3);
    assertThat(names(shop.get("spec", "gateway"), "egress")).containsExactly("carrier");
    assertThat((Object) shop.get("spec", "networkPolicy", "enabled")).isEqualTo(true);
    GenericKubernetesResource small = system(SHOP_LOCAL);
    assertThat((List<?>) small.get("spec", "services"))
        .hasSize(3)
        .allSatisfy(s -> assertThat(((Map<?, ?>) s).get("replicas")).isEqualTo(2));
  }

  @Test
  @Order(4)
  void theOperatorReconcilesTheShopWithOnlyTheChartsRbac() throws Exception {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .withNamespace(SHOP)
                .endMetadata()
                .addToStringData("username", "shop")
                .addToStringData("password", "secret")
                .build())
        .create();
    int httpPort = FreePorts.on("127.0.0.1");
    try (ManagedProcess operator = startOperatorAs(FULLNAME, httpPort, "")) {
      try {
        // children of the full shop: 3 services + the gateway, 2 topics, an HTTPRoute (the Gateway
        // API is installed)
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  assertThat(operator.isAlive()).as("operator process alive").isTrue();
                  assertThat(children("apps/v1", "Deployment")).hasSize(4);
                  assertThat(children("v1", "Service")).hasSize(4);
                  assertThat(children("v1", "ServiceAccount")).hasSize(4);
                  assertThat(children("rbac.authorization.k8s.io/v1", "Role")).hasSize(4);
                  assertThat(children("rbac.authorization.k8s.io/v1", "RoleBinding")).hasSize(4);
                  assertThat(children("policy/v1", "PodDisruptionBudget")).hasSize(4);
                  assertThat(children("networking.k8s.io/v1", "NetworkPolicy")).isNotEmpty();
                  assertThat(children("kafka.strimzi.io/v1beta2", "KafkaTopic")).hasSize(3);
                  assertThat(children("gateway.networking.k8s.io/v1", "HTTPRoute")).hasSize(1);
                  assertThat((Object) system(SHOP).get("status", "conditions")).isNotNull();
                });
        assertThat(admin.v1().events().inNamespace(SHOP).list().getItems())
            .anyMatch(e -> "shop".equals(e.getInvolvedObject().getName()));
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName(Chart.LEASE).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-under-test");
        // the wall opens the API server where its own EndpointSlice says it is, read under the
        // chart's Role in default
        List<String> apiServer =
            ApiServerEndpoints.of(
                    List.of(
                        admin
                            .discovery()
                            .v1()
                            .endpointSlices()
                            .inNamespace("default")
                            .withName("kubernetes")
                            .get()))
                .cidrs();
        assertThat(apiServer).isNotEmpty();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            admin
                                .network()
                                .networkPolicies()
                                .inNamespace(SHOP)
                                .withName("shop-gateway")
                                .get()
                                .getSpec()
                                .getEgress())
                        .anySatisfy(
                            rule ->
                                assertThat(rule.getTo())
                                    .extracting(
                                        peer ->
                                            peer.getIpBlock() == null
                                                ? null
                                                : peer.getIpBlock().getCidr())
                                    .containsExactlyElementsOf(apiServer)));

        // a topic removed from the spec: the operator deletes its KafkaTopic
        controlPlane.kubectl(
            "patch",
            "msys",
            "shop",
            "-n",
            SHOP,
            "--type=json",
            "-p",
            "[{\"op\":\"remove\",\"path\":\"/spec/kafka/topics/1\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/services/0/produces\",\"value\":[\"order-events\"]}]");
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> assertThat(children("kafka.strimzi.io/v1beta2", "KafkaTopic")).hasSize(2));

        // the probe and metrics paths the chart points at answer
        assertThat(httpGet(httpPort, "/healthz")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> httpGet(httpPort, "/readyz") == 200);
        assertThat(httpGet(httpPort, "/metrics")).isEqualTo(200);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\noperator log:\n" + operator.logTail(80), e);
      }
    }

    List<String> forbidden = audit.forbidden();
    TreeSet<String> used = audit.used();
    System.out.println(
        "requests the operator made under the chart's RBAC (permission -> count): "
            + audit.usage());
    assertThat(forbidden).as("requests the API server refused the operator").isEmpty();
    assertThat(used)
        .contains(
            "list rampart.dev microservicesystems",
            "watch rampart.dev microservicesystems",
            "patch rampart.dev microservicesystems/status",
            "patch apps deployments",
            "patch kafka.strimzi.io kafkatopics",
            "delete kafka.strimzi.io kafkatopics",
            "get apiextensions.k8s.io customresourcedefinitions",
            "list core secrets",
            "watch core secrets",
            "watch discovery.k8s.io endpointslices",
            "create core events");
    assertThat(used).anyMatch(u -> u.endsWith("coordination.k8s.io leases"));
  }

  @Test
  @Order(5)
  void helmUpgradeUpgradesTheCrdAndSwitchesToNamespacedRbac() throws IOException {
    Path nextVersion = chartWithExtraShortName("msystem");

    Command upgrade =
        helm(
            "upgrade",
            RELEASE,
            nextVersion.toString(),
            "--namespace",
            NAMESPACE,
            "--set",
            "watchNamespaces={" + SHOP + "," + SHOP_LOCAL + "}",
            "--set",
            "replicas=1");

    assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
    assertThat(upgrade.stdout()).contains("REVISION: 2");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(MSYS)
                            .get()
                            .getSpec()
                            .getNames()
                            .getShortNames())
                    .containsExactly("msys", "msystem"));
    assertThat(controlPlane.kubectl("get", "msystem", "-n", SHOP, "-o", "name"))
        .contains("microservicesystem.rampart.dev/shop");
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName(FULLNAME)
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    assertThat(
            RenderedChart.permissions(
                admin.rbac().clusterRoles().withName(FULLNAME).get().getRules()))
        .containsExactlyElementsOf(OperatorPermissions.clusterScoped());
    for (String namespace : List.of(SHOP, SHOP_LOCAL)) {
      assertThat(
              RenderedChart.permissions(
                  admin.rbac().roles().inNamespace(namespace).withName(FULLNAME).get().getRules()))
          .containsExactlyElementsOf(OperatorPermissions.namespaced());
    }
    assertThat(canI("create deployments.apps -n " + SHOP)).isTrue();
    assertThat(canI("create deployments.apps -n default")).isFalse();
    assertThat(canI("list microservicesystems.rampart.dev --all-namespaces")).isFalse();
    // the users' systems survived the CRD upgrade
    assertThat(system(SHOP)).isNotNull();
    assertThat(system(SHOP_LOCAL)).isNotNull();

    // and the operator, told to watch just those namespaces, manages with the namespaced RBAC
    try (ManagedProcess operator =
        startOperatorAs(FULLNAME, FreePorts.on("127.0.0.1"), SHOP + "," + SHOP_LOCAL)) {
      try {
        controlPlane.kubectl(
            "patch",
            "msys",
            "shop",
            "-n",
            SHOP,
            "--type=json",
            "-p",
            "[{\"op\":\"add\",\"path\":\"/spec/kafka/topics/-\",\"value\":{\"name\":\"order-events-public\"}}]");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  assertThat(operator.isAlive()).as("operator process alive").isTrue();
                  assertThat(children("kafka.strimzi.io/v1beta2", "KafkaTopic")).hasSize(3);
                });
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\noperator log:\n" + operator.logTail(80), e);
      }
    }
    assertThat(audit.forbidden())
        .as("requests the API server refused the operator (namespaced RBAC)")
        .isEmpty();
  }

  @Test
  @Order(6)
  void helmUninstallRemovesTheOperatorButKeepsTheCrdAndTheSystems() {
    Command uninstall =
        helm("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait", "--timeout", "60s");

    assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();
    assertThat(uninstall.stdout() + uninstall.stderr())
        .contains("release \"" + RELEASE + "\" uninstalled");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get())
                  .isNull();
              assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName(FULLNAME).get())
                  .isNull();
              assertThat(admin.rbac().clusterRoles().withName(FULLNAME).get()).isNull();
              assertThat(admin.rbac().clusterRoleBindings().withName(FULLNAME).get()).isNull();
              assertThat(admin.rbac().roles().inNamespace(SHOP).withName(FULLNAME).get()).isNull();
              assertThat(
                      admin.rbac().roleBindings().inNamespace(SHOP_LOCAL).withName(FULLNAME).get())
                  .isNull();
              assertThat(
                      admin
                          .rbac()
                          .roles()
                          .inNamespace(NAMESPACE)
                          .withName(FULLNAME + "-leader-election")
                          .get())
                  .isNull();
              assertThat(
                      admin.services().inNamespace(NAMESPACE).withName(FULLNAME + "-metrics").get())
                  .isNull();
            });
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(MSYS).get())
        .as("the CRD is kept (helm.sh/resource-policy: keep)")
        .isNotNull();
    assertThat(system(SHOP)).isNotNull();
    assertThat(helm("list", "--namespace", NAMESPACE, "-q").stdout()).doesNotContain(RELEASE);
  }

  // --- the operator as a process, with the ServiceAccount's own token
  // -------------------------------------

  /**
   * The operator's real main class in its own JVM, authenticated with a TokenRequest token of the
   * chart's ServiceAccount (so the API server applies exactly the chart's RBAC), configured by the
   * env the chart sets.
   */
  private ManagedProcess startOperatorAs(
      String serviceAccount, int httpPort, String watchNamespaces) throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(NAMESPACE)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    var config = admin.getConfiguration();
    Path kubeconfig = workDir.resolve("operator-kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: local, cluster: {server: \""
                + config.getMasterUrl()
                + "\", "
                + certificateAuthority(config)
                + "}}]",
            "users: [{name: operator, user: {token: \"" + token + "\"}}]",
            "contexts: [{name: operator, context: {cluster: local, user: operator}}]",
            "current-context: operator",
            ""));
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            "dev.rampart.operator.Main");
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kubeconfig.toString(),
            "HOSTNAME",
            "operator-under-test",
            "POD_NAMESPACE",
            NAMESPACE,
            "RAMPART_LEADER_ELECTION",
            "true",
            "RAMPART_LEASE_NAME",
            Chart.LEASE,
            "RAMPART_WATCH_NAMESPACES",
            watchNamespaces,
            "RAMPART_OPERATOR_HTTP_PORT",
            Integer.toString(httpPort));
    return ManagedProcess.start("rampart-operator", command, env, workDir.resolve("operator.log"));
  }

  private String certificateAuthority(io.fabric8.kubernetes.client.Config config) {
    if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
      return "certificate-authority-data: \"" + config.getCaCertData() + "\"";
    }
    String file =
        config.getCaCertFile() != null
            ? config.getCaCertFile()
            : controlPlane.caCertificate().toString();
    return "certificate-authority: \"" + file + "\"";
  }

  private static int httpGet(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  // --- helpers on the control plane
  // ------------------------------------------------------------------------

  private Command helm(String... args) {
    List<String> withKubeconfig = new ArrayList<>(List.of(args));
    withKubeconfig.addAll(List.of("--kubeconfig", controlPlane.kubeconfig().toString()));
    return Chart.helm(withKubeconfig.toArray(String[]::new));
  }

  /** kubectl auth can-i as the operator's ServiceAccount: "verb resource [flags]". */
  private boolean canI(String question) {
    List<String> line =
        new ArrayList<>(
            List.of(
                controlPlane.toolchain().kubectl().toString(),
                "--kubeconfig",
                controlPlane.kubeconfig().toString(),
                "auth",
                "can-i"));
    line.addAll(List.of(question.split(" ")));
    line.add("--as=" + OPERATOR_USER);
    Command answer = Command.run(line);
    String said = answer.stdout().trim();
    if (!said.equals("yes") && !said.equals("no")) {
      throw new IllegalStateException("kubectl auth can-i gave no answer: " + answer);
    }
    return said.equals("yes");
  }

  private GenericKubernetesResource system(String namespace) {
    return admin
        .genericKubernetesResources("rampart.dev/v1alpha1", "MicroserviceSystem")
        .inNamespace(namespace)
        .withName("shop")
        .get();
  }

  private List<GenericKubernetesResource> children(String apiVersion, String kind) {
    return admin
        .genericKubernetesResources(apiVersion, kind)
        .inNamespace(SHOP)
        .withLabel("app.kubernetes.io/managed-by", "rampart-operator")
        .list()
        .getItems();
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Object parent, String field) {
    Map<String, Object> map =
        parent instanceof GenericKubernetesResource r
            ? (Map<String, Object>) r.getAdditionalProperties().get("spec")
            : (Map<String, Object>) parent;
    return ((List<Map<String, Object>>) map.get(field))
        .stream().map(m -> (String) m.get("name")).toList();
  }

  private void installCrds(Path... files) {
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : admin.load(in).items()) {
          if (item instanceof CustomResourceDefinition crd) {
            crd.getMetadata().setResourceVersion(null);
            admin.resource(crd).fieldManager("rampart-tests").forceConflicts().serverSideApply();
            awaitEstablished(crd.getMetadata().getName());
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private CustomResourceDefinition awaitEstablished(String name) {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(name)
        .waitUntilCondition(
            crd ->
                crd != null
                    && crd.getStatus() != null
                    && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  /**
   * A copy of the chart as its next version would be: version 0.2.0, its CRD with one more short
   * name.
   */
  private Path chartWithExtraShortName(String shortName) throws IOException {
    Path copy = workDir.resolve("next-chart").resolve("rampart-operator");
    try (Stream<Path> files = Files.walk(Chart.dir())) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(Chart.dir().relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Path chartYaml = copy.resolve("Chart.yaml");
    Files.writeString(
        chartYaml, Files.readString(chartYaml).replace("\nversion: 0.1.0\n", "\nversion: 0.2.0\n"));
    Path crd = copy.resolve("files/crds/microservicesystems.rampart.dev-v1.yml");
    String original = Files.readString(crd);
    String changed =
        original.replace("    - \"msys\"\n", "    - \"msys\"\n    - \"" + shortName + "\"\n");
    assertThat(changed)
        .as("the CRD's shortNames block changed shape; adjust this test")
        .isNotEqualTo(original);
    Files.writeString(crd, changed);
    return copy;
  }
}
