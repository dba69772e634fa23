package dev.rampart.e2e.kube;

import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.e2e.pods.LocalImages;
import dev.rampart.e2e.pods.ProcessPodRunner;
import dev.rampart.e2e.pods.RunnerSettings;
import dev.rampart.testing.Command;
import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kafka.KafkaBroker;
import dev.rampart.testing.kube.LocalControlPlane;
import dev.rampart.testing.postgres.Postgres;
import dev.rampart.testing.postgres.TestDatabase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The shop on a local Kubernetes, the way a user gets it: a real control plane (with
 * controller-manager and scheduler), `helm install` of the operator chart, the operator and every
 * service pod run by the process-pod runner (with only the RBAC their ServiceAccounts get), a real
 * Kafka broker (Strimzi's topic operator played by {@link TopicOperatorStandIn}) and PostgreSQL,
 * and the sample MicroserviceSystem applied with kubectl.
 */
public final class LocalKubernetesShop implements ShopCluster {
  public static final String OPERATOR_NAMESPACE = "rampart-system";

  private final Consumer<String> progress;
  private final LocalJwtIssuer jwt = new LocalJwtIssuer();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private LocalControlPlane controlPlane;
  private KubernetesClient client;
  private ProcessPodRunner runner;
  private KafkaBroker kafka;
  private TestDatabase database;
  private OutsideCarrier carrier;
  private Path podsDir;

  private LocalKubernetesShop(Consumer<String> progress) {
    this.progress = progress;
  }

  /** Brings up the cluster, installs the operator with Helm and applies the shop. */
  public static LocalKubernetesShop start(Consumer<String> progress) {
    LocalKubernetesShop shop = new LocalKubernetesShop(progress);
    try {
      shop.bringUp();
      return shop;
    } catch (RuntimeException e) {
      shop.close();
      throw e;
    }
  }

  private void bringUp() {
    progress.accept("control plane: kube-apiserver, etcd, kube-controller-manager, kube-scheduler");
    controlPlane =
        track(
            LocalControlPlane.builder()
                .withCrds(List.of(RepoPaths.thirdPartyCrd("kafkatopics.kafka.strimzi.io")))
                .withControllerManager()
                .withScheduler()
                .start());
    client = controlPlane.client();
    progress.accept(
        "Strimzi KafkaTopic CRD installed (Strimzi's topic operator is played by the harness)");

    kafka = track(KafkaBroker.start());
    database = track(Postgres.shared().createDatabase("shop"));
    track(new TopicOperatorStandIn(client, kafka));
    progress.accept(
        "Kafka " + kafka.bootstrapServers() + ", PostgreSQL database " + database.name());

    try {
      // not under /tmp: pods may mount an emptyDir over /tmp in their own mount namespace
      podsDir = Files.createTempDirectory(Paths.get("/var/tmp"), "rampart-pods-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runner =
        track(
            ProcessPodRunner.start(
                client,
                new RunnerSettings(
                    "rampart-local",
                    controlPlane.apiServerHost(),
                    controlPlane.apiServerPort(),
                    controlPlane.caCertificate(),
                    LocalImages.catalog(RepoPaths.root()),
                    podsDir,
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString())));
    progress.accept(
        "node rampart-local Ready; pods run as JVMs on 127.b.x.y (logs under " + podsDir + ")");

    progress.accept(
        "helm install rampart charts/rampart-operator (the operator runs as a pod with only the"
            + " chart's RBAC)");
    helm(
        "install",
        "rampart",
        RepoPaths.root().resolve("charts/rampart-operator").toString(),
        "--namespace",
        OPERATOR_NAMESPACE,
        "--create-namespace",
        "--set",
        "replicas=1",
        "--wait",
        "--timeout",
        "5m");

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .withLabels(RESTRICTED_POD_SECURITY)
                .endMetadata()
                .build())
        .serverSideApply();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .endMetadata()
                .addToStringData("username", database.user())
                .addToStringData("password", database.password())
                .build())
        .serverSideApply();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-jwks")
                .endMetadata()
                .addToStringData("jwks.json", jwt.jwks())
                .build())
        .serverSideApply();
    carrier = track(new OutsideCarrier(this::gatewayUrl));
    progress.accept(
        "kubectl apply -f charts/rampart-operator/samples/shop-local.yaml (Kafka and JDBC addresses"
            + " of this run, the carrier simulator at "
            + carrier.baseUrl()
            + " as its egress)");
    client
        .genericKubernetesResources(SYSTEMS)
        .inNamespace(NAMESPACE)
        .resource(sample())
        .fieldManager("kubectl")
        .serverSideApply();
    carrier.start(jwt, podsDir);
    progress.accept(
        "carrier simulator on "
            + carrier.baseUrl()
            + " (outside the cluster), its webhooks in through "
            + carrier.webhookBase()
            + " to the gateway with a partner token");
  }

  /** The local sample with this run's Kafka, database and token issuer. */
  private GenericKubernetesResource sample() {
    try (InputStream in =
        Files.newInputStream(
            RepoPaths.root().resolve("charts/rampart-operator/samples/shop-local.yaml"))) {
      GenericKubernetesResource system =
          client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
      system.getMetadata().setNamespace(NAMESPACE);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) system.getAdditionalProperties().get("spec");
      @SuppressWarnings("unchecked")
      Map<String, Object> kafkaSpec = (Map<String, Object>) spec.get("kafka");
      kafkaSpec.put("bootstrapServers", kafka.bootstrapServers());
      @SuppressWarnings("unchecked")
      Map<String, Object> jdbc =
          (Map<String, Object>) ((Map<String, Object>) spec.get("persistence")).get("jdbc");
      jdbc.put("url", database.jdbcUrl());
      @SuppressWarnings("unchecked")
      Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
      Object auth = gateway.get("auth");
      if (auth instanceof Map<?, ?> authMap) {
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) authMap;
        a.put("issuer", LocalJwtIssuer.ISSUER);
        a.put("audience", LocalJwtIssuer.AUDIENCE);
      }
      // the carrier of this run, outside the cluster: Shipping reaches it only through this egress
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> egress = (List<Map<String, Object>>) gateway.get("egress");
      egress.stream()
          .filter(e -> "carrier".equals(e.get("name")))
          .forEach(e -> e.put("baseUrl", carrier.baseUrl().toString()));
      return system;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public LocalJwtIssuer jwt() {
    return jwt;
  }

  public ProcessPodRunner runner() {
    return runner;
  }

  /** The shop's database (every service's journal). */
  public TestDatabase database() {
    return database;
  }

  public LocalControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public String kubectl(String... args) {
    return controlPlane.kubectl(args);
  }

  /**
   * The gateway as an outside client reaches it here: the address of a ready gateway pod (no
   * ingress controller runs).
   */
  @Override
  public Optional<KafkaBroker> localBroker() {
    return Optional.of(kafka);
  }

  /** The carrier simulator's API (GET /v1/bookings/{shipment id} reads a booking back). */
  public URI carrierUrl() {
    return carrier.baseUrl();
  }

  /** A booking as the carrier holds it: the simulator is on this machine. */
  @Override
  public String carrierBooking(String shipmentId) {
    try {
      HttpResponse<String> booking =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(carrierUrl().resolve("/v1/bookings/" + shipmentId))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (booking.statusCode() != 200) {
        throw new IllegalStateException(
            "the carrier holds no booking " + shipmentId + ": " + booking.statusCode());
      }
      return booking.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public URI gatewayUrl() {
    Pod pod =
        readyPods(Labels.GATEWAY_SERVICE_NAME).stream()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no ready gateway pod"));
    return URI.create("http://" + pod.getStatus().getPodIP() + ":" + Ports.HTTP);
  }

  /** The pods' log tails and the system's status, for failure messages. */
  @Override
  public String diagnostics() {
    StringBuilder out = new StringBuilder();
    if (carrier != null) {
      out.append("---- carrier simulator\n").append(carrier.logTail()).append('\n');
    }
    try {
      out.append(kubectl("get", "msys,deploy,pods,kafkatopics", "-A", "-o", "wide")).append('\n');
      out.append(kubectl("get", "msys", SYSTEM, "-n", NAMESPACE, "-o", "jsonpath={.status}"))
          .append('\n');
    } catch (RuntimeException e) {
      out.append("kubectl failed: ").append(e.getMessage()).append('\n');
    }
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      Optional<Path> log =
          runner.logOf(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      log.ifPresent(
          path -> {
            out.append("---- ")
                .append(pod.getMetadata().getNamespace())
                .append('/')
                .append(pod.getMetadata().getName())
                .append('\n');
            try {
              List<String> lines = Files.readAllLines(path);
              lines
                  .subList(Math.max(0, lines.size() - 25), lines.size())
                  .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
              out.append("(no log)\n");
            }
          });
    }
    return out.toString();
  }

  private void helm(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                controlPlane.toolchain().helm().toString(),
                "--kubeconfig",
                controlPlane.kubeconfig().toString()));
    command.addAll(List.of(args));
    String output;
    try {
      output = Command.run(command, Duration.ofMinutes(6));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
    }
    progress.accept(
        "helm: "
            + output.lines().filter(l -> l.startsWith("STATUS") || l.startsWith("NAME")).toList());
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(0, resource);
    return resource;
  }

  @Override
  public void close() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        progress.accept("closing " + resource + ": " + e);
      }
    }
  }
}
