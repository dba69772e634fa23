package dev.rampart.e2e.kube;

import static org.awaitility.Awaitility.await;

import dev.rampart.e2e.journey.GatewayClient;
import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.testing.Command;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The shop on a kind cluster prepared by e2e-tests/kind/run-kind-e2e.sh (Strimzi with a Kafka
 * cluster, a Gateway API implementation, PostgreSQL, the operator installed with Helm from
 * Jib-built images): applies the full sample with this run's JWT issuer and reaches the gateway
 * through `kubectl port-forward`.
 */
public final class KindShop implements ShopCluster {
  /** Envoy Gateway's labels on the Service of a Gateway's proxies. */
  static final String OWNING_GATEWAY_NAME = "gateway.envoyproxy.io/owning-gateway-name";

  static final String OWNING_GATEWAY_NAMESPACE = "gateway.envoyproxy.io/owning-gateway-namespace";
  private final Path kubeconfig;
  private final KubernetesClient client;
  private final LocalJwtIssuer jwt = new LocalJwtIssuer();
  private final Consumer<String> progress;
  private final HttpClient http = HttpClient.newHttpClient();
  private ManagedProcess portForward;
  private URI gatewayUrl;

  /** The cluster's settings, from system properties set by the kind script. */
  public record Settings(
      Path kubeconfig,
      String kafkaBootstrapServers,
      String kafkaCluster,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPassword,
      String imageTag) {
    public static Settings fromSystemProperties() {
      return new Settings(
          Path.of(System.getProperty("rampart.e2e.kind.kubeconfig")),
          System.getProperty("rampart.e2e.kind.kafka", "rampart-kafka-kafka-bootstrap.kafka:9092"),
          System.getProperty("rampart.e2e.kind.kafkaCluster", "rampart-kafka"),
          System.getProperty(
              "rampart.e2e.kind.jdbcUrl", "jdbc:postgresql://postgres.database:5432/shop"),
          System.getProperty("rampart.e2e.kind.jdbcUser", "rampart"),
          System.getProperty("rampart.e2e.kind.jdbcPassword", "rampart"),
          System.getProperty("rampart.e2e.kind.imageTag", "kind"));
    }
  }

  private KindShop(Settings settings, Consumer<String> progress) {
    if (!"host".equalsIgnoreCase(System.getProperty("jdk.httpclient.allowRestrictedHeaders"))) {
      throw new IllegalStateException(
          "the journey sends the route's hostname as Host through the port-forward: run with"
              + " -DargLine=-Djdk.httpclient.allowRestrictedHeaders=host (run-kind-e2e.sh does)");
    }
    this.kubeconfig = settings.kubeconfig();
    this.progress = progress;
    try {
      this.client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies the shop (namespace, Secrets, the full sample) to the prepared kind cluster. */
  public static KindShop apply(Settings settings, Consumer<String> progress) {
    KindShop shop = new KindShop(settings, progress);
    KubernetesClient client = shop.client;
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
                .addToStringData("username", settings.jdbcUser())
                .addToStringData("password", settings.jdbcPassword())
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
                .addToStringData("jwks.json", shop.jwt.jwks())
                .build())
        .serverSideApply();
    GenericKubernetesResource sample = kindSample(settings);
    progress.accept(
        "the carrier simulator in namespace "
            + KindCarrier.NAMESPACE
            + " at "
            + KindCarrier.baseUrl()
            + ", its webhooks to "
            + KindCarrier.webhookBase(gatewayServicePort(sample))
            + " with a partner token");
    for (HasMetadata resource : carrierManifests(settings, sample, shop.jwt)) {
      client.resource(resource).serverSideApply();
    }
    progress.accept(
        "kubectl apply -f charts/rampart-operator/samples/shop.yaml (this cluster's Kafka, database"
            + " and token issuer)");
    client
        .genericKubernetesResources(SYSTEMS)
        .inNamespace(NAMESPACE)
        .resource(sample)
        .fieldManager("kubectl")
        .serverSideApply();
    return shop;
  }

  /**
   * The full sample as the kind e2e applies it: this cluster's Kafka, database and images, one
   * replica per topic, no TLS. Pure (run-kind-e2e.sh --check validates it on an API server).
   */
  @SuppressWarnings("unchecked")
  public static GenericKubernetesResource kindSample(Settings settings) {
    try (InputStream in =
        Files.newInputStream(
            RepoPaths.root().resolve("charts/rampart-operator/samples/shop.yaml"))) {
      GenericKubernetesResource system =
          new KubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
      system.getMetadata().setNamespace(NAMESPACE);
      Map<String, Object> spec = (Map<String, Object>) system.getAdditionalProperties().get("spec");
      Map<String, Object> kafka = (Map<String, Object>) spec.get("kafka");
      kafka.put("bootstrapServers", settings.kafkaBootstrapServers());
      kafka.put("cluster", settings.kafkaCluster());
      // one broker: every topic has one replica, and one in-sync replica suffices (with the
      // sample's min.insync.replicas of 2, every acks=all send would fail with NOT_ENOUGH_REPLICAS)
      ((List<Map<String, Object>>) kafka.get("topics"))
          .forEach(
              topic -> {
                topic.put("replicas", 1);
                Map<String, Object> config = (Map<String, Object>) topic.get("config");
                if (config != null && config.containsKey("min.insync.replicas")) {
                  config.put("min.insync.replicas", "1");
                }
              });
      ((Map<String, Object>) ((Map<String, Object>) spec.get("persistence")).get("jdbc"))
          .put("url", settings.jdbcUrl());
      // the images the kind script built with Jib and loaded into the nodes
      ((List<Map<String, Object>>) spec.get("services"))
          .forEach(
              service ->
                  service.put("image", retag((String) service.get("image"), settings.imageTag())));
      Map<String, Object> gateway = (Map<String, Object>) spec.get("gateway");
      gateway.put("image", retag((String) gateway.get("image"), settings.imageTag()));
      // the journey reaches the gateway through a port-forward; no certificate exists here
      gateway.remove("tls");
      // the carrier simulator outside the wall (KindCarrier), no credentials: Shipping books with
      // it
      // only through the gateway's egress
      gateway.put(
          "egress",
          new ArrayList<>(
              List.of(Map.of("name", "carrier", "baseUrl", KindCarrier.baseUrl().toString()))));
      Map<String, Object> auth = (Map<String, Object>) gateway.get("auth");
      auth.put("issuer", LocalJwtIssuer.ISSUER);
      auth.put("audience", LocalJwtIssuer.AUDIENCE);
      return system;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The carrier simulator's manifests for this sample: its token one of {@code issuer}'s. */
  public static List<HasMetadata> carrierManifests(
      Settings settings, GenericKubernetesResource sample, LocalJwtIssuer issuer) {
    return KindCarrier.manifests(
        settings.imageTag(), issuer.partnerToken(KindCarrier.NAME), gatewayServicePort(sample));
  }

  /** The gateway Service's HTTP port: {@code spec.gateway.servicePort}, 80 when absent. */
  @SuppressWarnings("unchecked")
  static int gatewayServicePort(GenericKubernetesResource sample) {
    Map<String, Object> spec = (Map<String, Object>) sample.getAdditionalProperties().get("spec");
    Object port = ((Map<String, Object>) spec.get("gateway")).get("servicePort");
    return port == null ? 80 : ((Number) port).intValue();
  }

  /** The carrier simulator (applied with the shop) has a Ready pod. */
  public void awaitCarrierReady() {
    client
        .apps()
        .deployments()
        .inNamespace(KindCarrier.NAMESPACE)
        .withName(KindCarrier.NAME)
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1,
            5,
            java.util.concurrent.TimeUnit.MINUTES);
    progress.accept("carrier simulator Ready in namespace " + KindCarrier.NAMESPACE);
  }

  /** A booking as the carrier holds it, through the API server's proxy to its Service. */
  @Override
  public String carrierBooking(String shipmentId) {
    return kubectl(
        "get",
        "--raw",
        "/api/v1/namespaces/"
            + KindCarrier.NAMESPACE
            + "/services/"
            + KindCarrier.NAME
            + ":"
            + KindCarrier.PORT
            + "/proxy/v1/bookings/"
            + shipmentId);
  }

  private static String retag(String image, String tag) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return (colon > slash ? image.substring(0, colon) : image) + ":" + tag;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public LocalJwtIssuer jwt() {
    return jwt;
  }

  @Override
  public String kubectl(String... args) {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return Command.run(command, Duration.ofMinutes(15));
  }

  /**
   * The gateway as a user reaches it: a port-forward to the Service of the Gateway API
   * implementation (Envoy Gateway's, found by its owning-gateway labels for the sample's
   * parentRef), sending the route's hostname. Before the first one, the gateway's own Service is
   * forwarded as a user trying the system would ({@code kubectl port-forward svc/shop-gateway}) and
   * must answer {@code GET /readyz}: that needs the gateway to listen on the pod's localhost.
   * Re-established on the same local port if it ends, so a URL taken earlier stays good.
   */
  @Override
  public synchronized URI gatewayUrl() {
    if (portForward != null && portForward.isAlive()) {
      return gatewayUrl;
    }
    if (gatewayUrl == null) {
      confirmGatewayServiceForward();
    }
    Map<String, Object> parent = parentRef();
    var envoy =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    client
                        .services()
                        .inAnyNamespace()
                        .withLabel(OWNING_GATEWAY_NAME, (String) parent.get("name"))
                        .withLabel(OWNING_GATEWAY_NAMESPACE, (String) parent.get("namespace"))
                        .list()
                        .getItems(),
                services -> services.size() == 1)
            .get(0);
    int local = gatewayUrl != null ? gatewayUrl.getPort() : FreePorts.on("127.0.0.1");
    URI url = URI.create("http://127.0.0.1:" + local);
    // only the Rampart gateway answers an unauthenticated API call with 401: Envoy says 404 when no
    // route matches the hostname and 503 when the route has no ready backend
    GatewayClient probe = new GatewayClient(url, gatewayHost());
    portForward =
        awaitThrough(
            () ->
                forward(
                    envoy.getMetadata().getNamespace(),
                    envoy.getMetadata().getName(),
                    local,
                    envoy.getSpec().getPorts().get(0).getPort()),
            () -> probe.send("GET", "/api/users/port-forward-probe", null, null).status() == 401,
            "the gateway did not answer 401 to an unauthenticated call through Envoy's Service "
                + envoy.getMetadata().getNamespace()
                + "/"
                + envoy.getMetadata().getName()
                + " with Host "
                + gatewayHost().orElse("(none)"));
    gatewayUrl = url;
    progress.accept(
        "gateway reached through kubectl port-forward to "
            + envoy.getMetadata().getNamespace()
            + "/svc/"
            + envoy.getMetadata().getName()
            + " at "
            + gatewayUrl
            + " (Host "
            + gatewayHost().orElse("-")
            + ")");
    return gatewayUrl;
  }

  @Override
  public GatewayClient gatewayClient() {
    return new GatewayClient(gatewayUrl(), gatewayHost());
  }

  /** {@code kubectl port-forward svc/shop-gateway}, as a user would: GET /readyz answers 200. */
  private void confirmGatewayServiceForward() {
    var service = client.services().inNamespace(NAMESPACE).withName(SYSTEM + "-gateway").get();
    int local = FreePorts.on("127.0.0.1");
    URI url = URI.create("http://127.0.0.1:" + local);
    try (ManagedProcess forward =
        awaitThrough(
            () ->
                forward(
                    NAMESPACE,
                    service.getMetadata().getName(),
                    local,
                    service.getSpec().getPorts().get(0).getPort()),
            () -> readyz(url) == 200,
            "the gateway did not answer GET /readyz through kubectl port-forward svc/"
                + service.getMetadata().getName())) {
      progress.accept(
          "kubectl port-forward svc/" + service.getMetadata().getName() + ": GET /readyz 200");
    }
  }

  private ManagedProcess forward(String namespace, String service, int local, int port) {
    try {
      return ManagedProcess.start(
          "port-forward-" + service,
          List.of(
              "kubectl",
              "--kubeconfig",
              kubeconfig.toString(),
              "port-forward",
              "-n",
              namespace,
              "svc/" + service,
              local + ":" + port),
          Map.of(),
          Files.createTempDirectory("kind-e2e-").resolve("port-forward.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a port-forward and asks through it until answered (kubectl's local socket opens before
   * anything answers behind it), starting it again whenever it ends: since kubectl 1.23 the first
   * refused connection ends a forward. Returns the live forward.
   */
  private static ManagedProcess awaitThrough(
      java.util.function.Supplier<ManagedProcess> start,
      java.util.concurrent.Callable<Boolean> answered,
      String failure) {
    ManagedProcess[] forward = {start.get()};
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                if (!forward[0].isAlive()) {
                  forward[0].close();
                  forward[0] = start.get();
                }
                return answered.call();
              });
      return forward[0];
    } catch (ConditionTimeoutException e) {
      String log = forward[0].logTail(20);
      forward[0].close();
      throw new IllegalStateException(failure + ":\n" + log, e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> parentRef() {
    Map<String, Object> gateway = system().get("spec", "gateway");
    return ((List<Map<String, Object>>) gateway.get("parentRefs")).get(0);
  }

  /** The route's hostname: Envoy routes by it. */
  @SuppressWarnings("unchecked")
  private Optional<String> gatewayHost() {
    Map<String, Object> gateway = system().get("spec", "gateway");
    List<String> hostnames = (List<String>) gateway.get("hostnames");
    return hostnames == null || hostnames.isEmpty()
        ? Optional.empty()
        : Optional.of(hostnames.get(0));
  }

  private int readyz(URI base) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(base.resolve("/readyz")).timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public String diagnostics() {
    StringBuilder out = new StringBuilder();
    try {
      out.append(kubectl("get", "msys,deploy,pods,kafkatopics", "-A", "-o", "wide")).append('\n');
      out.append(kubectl("get", "msys", SYSTEM, "-n", NAMESPACE, "-o", "jsonpath={.status}"))
          .append('\n');
      for (Pod pod : client.pods().inNamespace(NAMESPACE).list().getItems()) {
        out.append("---- ")
            .append(pod.getMetadata().getName())
            .append('\n')
            .append(kubectl("logs", "-n", NAMESPACE, pod.getMetadata().getName(), "--tail=25"));
      }
      out.append("---- carrier simulator\n")
          .append(
              kubectl(
                  "logs", "-n", KindCarrier.NAMESPACE, "deploy/" + KindCarrier.NAME, "--tail=25"));
    } catch (RuntimeException e) {
      out.append("diagnostics incomplete: ").append(e.getMessage());
    }
    return out.toString();
  }

  @Override
  public void close() {
    if (portForward != null) {
      portForward.close();
    }
    client.close();
  }
}
