package dev.rampart.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import dev.rampart.operator.api.v1alpha1.AutoscalingSpec;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.PlayedControllers;
import dev.rampart.operator.testing.RunningOperator;
import dev.rampart.operator.testing.SampleSystem;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator (JOSDK in this JVM, every dependent) against a real kube-apiserver + etcd with the
 * real Strimzi and Gateway API CRDs. No controllers run, so the test plays them: it writes
 * Deployment and KafkaTopic status. Each test applies the shop sample in a namespace of its own.
 */
class ReconcileEndToEndTest {
  private static KubernetesClient client;
  private static RunningOperator operator;
  private static PlayedControllers players;

  @BeforeAll
  static void start() {
    var plane = OperatorControlPlane.shared();
    client = plane.client();
    operator = RunningOperator.start(plane);
    players = new PlayedControllers(client);
  }

  @AfterAll
  static void stop() {
    if (players != null) {
      players.close();
    }
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void createsEveryChildWiredForAkkaKafkaAndTheWall() {
    String ns = SampleSystem.apply(client, "e2e-children");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    var system = SampleSystem.get(client, ns);

    // every child is owned by the system (garbage collection) and labelled as managed
    SampleSystem.expectedChildren(HTTPRoute.class)
        .forEach(
            (kind, names) ->
                names.forEach(
                    name -> {
                      HasMetadata child =
                          client.resources(kind).inNamespace(ns).withName(name).get();
                      assertThat(child.getMetadata().getOwnerReferences())
                          .singleElement()
                          .satisfies(
                              o -> {
                                assertThat(o.getUid()).isEqualTo(system.getMetadata().getUid());
                                assertThat(o.getKind()).isEqualTo("MicroserviceSystem");
                              });
                      assertThat(child.getMetadata().getLabels())
                          .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                          .containsEntry(Labels.SYSTEM, "shop");
                    }));

    // the order Deployment: Akka bootstrap through the Kubernetes API, ports, probes, Kafka, JDBC,
    // peers
    Deployment order = client.apps().deployments().inNamespace(ns).withName("shop-order").get();
    assertThat(order.getSpec().getReplicas()).isEqualTo(2);
    assertThat(order.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of(Labels.SYSTEM, "shop", Labels.SERVICE, "order"));
    var template = order.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry(Labels.DISCOVERY, "shop-order")
        .containsEntry(Labels.SERVICE, "order")
        .containsEntry(Labels.NAME, "order");
    assertThat(template.getMetadata().getAnnotations()).containsKey(Labels.CONFIG_HASH_ANNOTATION);
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("shop-order");
    var container = template.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/rampart/order-service:0.1.0");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly(
            Ports.MANAGEMENT_NAME + ":" + Ports.MANAGEMENT,
            Ports.REMOTING_NAME + ":" + Ports.REMOTING,
            Ports.GRPC_NAME + ":" + Ports.GRPC);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo(Probes.READY);
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo(Ports.MANAGEMENT_NAME);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo(Probes.ALIVE);
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    Map<String, EnvVar> env =
        container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(value(env, Env.SYSTEM)).isEqualTo("shop");
    assertThat(value(env, Env.SERVICE)).isEqualTo("order");
    assertThat(value(env, Env.DISCOVERY_METHOD)).isEqualTo(Env.DISCOVERY_KUBERNETES);
    assertThat(value(env, Env.BOOTSTRAP_SERVICE_NAME)).isEqualTo("shop-order");
    assertThat(env).doesNotContainKey(Env.REQUIRED_CONTACT_POINTS);
    assertThat(value(env, Env.POD_LABEL_SELECTOR)).isEqualTo(Labels.DISCOVERY_SELECTOR_TEMPLATE);
    assertThat(env.get(Env.POD_IP).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");
    assertThat(env.get(Env.POD_NAMESPACE).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get(Env.POD_NAME).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(value(env, Env.KAFKA_BOOTSTRAP_SERVERS))
        .isEqualTo("my-cluster-kafka-bootstrap.kafka:9092");
    assertThat(value(env, Env.KAFKA_PRODUCES)).isEqualTo("order-events,order-events-public");
    assertThat(env).doesNotContainKey(Env.KAFKA_CONSUMES);
    assertThat(value(env, Env.PEERS)).isEqualTo("user=shop-user,shipping=shop-shipping");
    assertThat(value(env, Env.JDBC_URL)).isEqualTo("jdbc:postgresql://shop-db.shop:5432/shop");
    assertThat(env.get(Env.JDBC_USER).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("shop-db");
    assertThat(env.get(Env.JDBC_USER).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("username");
    assertThat(env.get(Env.JDBC_PASSWORD).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("password");
    Deployment user = client.apps().deployments().inNamespace(ns).withName("shop-user").get();
    Map<String, EnvVar> userEnv =
        user.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(value(userEnv, Env.KAFKA_CONSUMES)).isEqualTo("order-events");
    assertThat(value(userEnv, Env.PEERS)).isEqualTo("shipping=shop-shipping");

    // the gateway
    Deployment gateway = client.apps().deployments().inNamespace(ns).withName("shop-gateway").get();
    var gatewayContainer = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(gatewayContainer.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly(Ports.HTTP_NAME + ":" + Ports.HTTP);
    Map<String, EnvVar> gatewayEnv =
        gatewayContainer.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(value(gatewayEnv, Env.GATEWAY_ROUTES))
        .isEqualTo("/api/orders=order:orders.v1,/api/users=user:users.v1");
    assertThat(value(gatewayEnv, Env.PEERS)).isEqualTo("order=shop-order,user=shop-user");
    assertThat(gatewayContainer.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo(Probes.GATEWAY_READY);
    assertThat(value(gatewayEnv, Env.JWT_JWKS_PATH)).isEqualTo("/etc/rampart/jwt/jwks.json");
    assertThat(value(gatewayEnv, Env.JWT_ISSUER)).isEqualTo("https://id.example.com/");
    assertThat(value(gatewayEnv, Env.JWT_AUDIENCE)).isEqualTo("shop");
    assertThat(value(gatewayEnv, Env.RATE_LIMIT_RPS)).isEqualTo("20");
    assertThat(value(gatewayEnv, Env.RATE_LIMIT_BURST)).isEqualTo("40");
    assertThat(value(gatewayEnv, Env.CORS_ALLOWED_ORIGINS)).isEqualTo("https://shop.example.com");
    assertThat(gatewayContainer.getVolumeMounts())
        .filteredOn(m -> !m.getMountPath().equals("/tmp"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/rampart/jwt");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(gateway.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("jwks");
              assertThat(v.getSecret().getSecretName()).isEqualTo("shop-jwks");
              assertThat(v.getSecret().getItems())
                  .extracting(i -> i.getKey() + "->" + i.getPath())
                  .containsExactly("jwks.json->jwks.json");
            });
    // the services get none of the gateway's settings
    assertThat(env).doesNotContainKeys(Env.JWT_JWKS_PATH, Env.JWT_ISSUER, Env.RATE_LIMIT_RPS);

    // RBAC for kubernetes-api discovery
    assertThat(client.resources(ServiceAccount.class).inNamespace(ns).withName("shop-order").get())
        .isNotNull();
    Role role = client.rbac().roles().inNamespace(ns).withName("shop-order").get();
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("");
              assertThat(r.getResources()).containsExactly("pods");
              assertThat(r.getVerbs()).containsExactly("get", "list", "watch");
            });
    RoleBinding binding = client.rbac().roleBindings().inNamespace(ns).withName("shop-order").get();
    assertThat(binding.getRoleRef().getName()).isEqualTo("shop-order");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("shop-order");
              assertThat(s.getNamespace()).isEqualTo(ns);
            });

    // gRPC Service and disruption budget
    Service grpc = client.services().inNamespace(ns).withName("shop-order").get();
    assertThat(grpc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(grpc.getSpec().getSelector())
        .isEqualTo(Map.of(Labels.SYSTEM, "shop", Labels.SERVICE, "order"));
    assertThat(grpc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(Ports.GRPC);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo(Ports.GRPC_NAME);
            });
    PodDisruptionBudget pdb =
        client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("shop-order").get();
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

    // Kafka topics, for Strimzi's topic operator
    KafkaTopic topic =
        client.resources(KafkaTopic.class).inNamespace(ns).withName("shop-order-events").get();
    assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "my-cluster");
    assertThat(topic.getSpec().getTopicName()).isEqualTo("order-events");
    assertThat(topic.getSpec().getPartitions()).isEqualTo(12);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
    assertThat(topic.getSpec().getConfig()).containsEntry("retention.ms", "604800000");

    // the HTTPRoute to the gateway
    HTTPRoute route =
        client.resources(HTTPRoute.class).inNamespace(ns).withName("shop-gateway").get();
    assertThat(route.getSpec().getHostnames()).containsExactly("shop.example.com");
    assertThat(route.getSpec().getParentRefs())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("public-gateway");
              assertThat(p.getNamespace()).isEqualTo("infra");
            });
    assertThat(route.getSpec().getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getMatches())
                  .extracting(m -> m.getPath().getValue())
                  .containsExactly("/api/orders", "/api/users", "/openapi.json", "/", "/app");
              assertThat(r.getBackendRefs())
                  .singleElement()
                  .satisfies(
                      b -> {
                        assertThat(b.getName()).isEqualTo("shop-gateway");
                        assertThat(b.getPort()).isEqualTo(80);
                      });
            });

    // the wall
    NetworkPolicy denyAll =
        client.network().networkPolicies().inNamespace(ns).withName("shop-deny-all").get();
    assertThat(denyAll.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Map.of(Labels.SYSTEM, "shop"));
    assertThat(denyAll.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(denyAll.getSpec().getIngress()).isEmpty();
    NetworkPolicy userPolicy =
        client.network().networkPolicies().inNamespace(ns).withName("shop-user").get();
    assertThat(ingressPeers(userPolicy, Ports.GRPC))
        .containsExactlyInAnyOrder("order", "shipping", "gateway");
    assertThat(ingressPeers(userPolicy, Ports.REMOTING)).containsExactly("user");
    assertThat(ingressPeers(userPolicy, Ports.MANAGEMENT)).contains("user");
    NetworkPolicy shippingPolicy =
        client.network().networkPolicies().inNamespace(ns).withName("shop-shipping").get();
    assertThat(ingressPeers(shippingPolicy, Ports.GRPC)).containsExactlyInAnyOrder("order", "user");
    NetworkPolicy orderPolicy =
        client.network().networkPolicies().inNamespace(ns).withName("shop-order").get();
    assertThat(ingressPeers(orderPolicy, Ports.GRPC)).containsExactly("gateway");
    // the API server at the port its own EndpointSlice lists (this one's random secure port)
    var apiServer =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withName("kubernetes")
            .get();
    assertThat(egressPorts(orderPolicy))
        .contains(
            "TCP/9092",
            "TCP/5432",
            "UDP/53",
            "TCP/53",
            "TCP/" + apiServer.getPorts().get(0).getPort(),
            "TCP/" + Ports.GRPC)
        .doesNotContain("TCP/443", "TCP/6443");
    NetworkPolicy gatewayPolicy =
        client.network().networkPolicies().inNamespace(ns).withName("shop-gateway").get();
    assertThat(gatewayPolicy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getFrom()).isEmpty();
              assertThat(r.getPorts())
                  .extracting(p -> p.getPort().getIntVal())
                  .containsExactly(Ports.HTTP);
            });

    // status: observed, not ready (no controllers run here), and why
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(status).isNotNull();
              assertThat(status.observedGeneration).isEqualTo(system.getMetadata().getGeneration());
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(status.conditions, "ServicesReady").getMessage())
                  .contains(
                      "order: Deployment shop-order not yet observed by the deployment controller");
              assertThat(condition(status.conditions, "TopicsReady").getMessage())
                  .contains("order-events: not reported Ready by Strimzi yet");
              assertThat(status.servicesReady).isEqualTo("0/3");
              assertThat(status.topicsReady).isEqualTo("0/2");
              assertThat(status.gateway.url).isEqualTo("https://shop.example.com");
              assertThat(status.gateway.routeKind).isEqualTo("HTTPRoute");
            });

    // Events on the system
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events(ns))
                    .extracting(e -> e.getReason() + ": " + e.getMessage())
                    .contains(
                        "Created: Created Deployment shop-order",
                        "Created: Created KafkaTopic shop-order-events"));
  }

  @Test
  void statusRollsUpReadinessOfDeploymentsAndTopics() {
    String ns = SampleSystem.apply(client, "e2e-status");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.COMPONENTS.forEach(c -> playDeploymentController(ns, "shop-" + c, 2));
    playTopicOperator(ns, "shop-order-events", "True", null, null);
    playTopicOperator(ns, "shop-order-events-public", "True", null, null);
    // not Ready yet: no pod has said anything about its Akka cluster, no Gateway took the route
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(status.conditions, "ServicesReady").getMessage())
                  .contains("order: Akka membership not known yet");
              assertThat(condition(status.conditions, "GatewayReady").getMessage())
                  .contains(
                      "HTTPRoute shop-gateway: Gateway infra/public-gateway has not reported on"
                          + " it");
            });
    players.acceptRoute(ns, "shop-gateway");
    List.of("order", "user", "shipping").forEach(s -> players.akkaPods(ns, "shop-" + s, 2));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("True");
              assertThat(condition(status.conditions, "Ready").getReason())
                  .isEqualTo("SystemReady");
              assertThat(status.servicesReady).isEqualTo("3/3");
              assertThat(status.topicsReady).isEqualTo("2/2");
              assertThat(status.gateway.ready).isTrue();
              assertThat(status.services).allSatisfy(s -> assertThat(s.readyReplicas).isEqualTo(2));
              assertThat(status.services)
                  .allSatisfy(
                      s ->
                          assertThat(s.clusterMembers)
                              .isEqualTo(
                                  new dev.rampart.operator.api.v1alpha1.ClusterMembership(2, 0)));
            });
    var plane = OperatorControlPlane.shared();
    assertThat(
            plane.kubectl("wait", "--for=condition=Ready", "msys/shop", "-n", ns, "--timeout=10s"))
        .contains("condition met");
    String table = plane.kubectl("get", "rampart", "-n", ns);
    // in the order declared on MicroserviceSystem (PrinterColumnOrder), PAUSED empty here
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME", "READY", "REASON", "SERVICES", "TOPICS", "GATEWAY", "AGE", "PAUSED");
    String[] row = table.lines().skip(1).findFirst().orElseThrow().split("\\s+");
    assertThat(List.of(row).subList(0, 6))
        .containsExactly("shop", "True", "SystemReady", "3/3", "2/2", "https://shop.example.com");

    playDeploymentController(ns, "shop-user", 1);
    playTopicOperator(
        ns,
        "shop-order-events-public",
        "False",
        "KafkaError",
        "Replication factor: 3 larger than available brokers: 1");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(status.conditions, "ServicesReady").getMessage())
                  .contains("user: 1/2 pods available");
              assertThat(condition(status.conditions, "TopicsReady").getMessage())
                  .contains(
                      "order-events-public: KafkaError: Replication factor: 3 larger than available"
                          + " brokers: 1");
              assertThat(status.servicesReady).isEqualTo("2/3");
              assertThat(status.topicsReady).isEqualTo("1/2");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events(ns))
                    .extracting(Event::getReason)
                    .contains("Ready", "NotReady")
                    .doesNotContain("ReconcileFailed"));
  }

  @Test
  void fewerMembersUpThanReplicasOrAStaleTopicGenerationIsNotReady() {
    String ns = SampleSystem.apply(client, "e2e-not-yet");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.COMPONENTS.forEach(c -> playDeploymentController(ns, "shop-" + c, 2));
    playTopicOperator(ns, "shop-order-events", "True", null, null);
    playTopicOperator(ns, "shop-order-events-public", "True", null, null);
    players.acceptRoute(ns, "shop-gateway");
    players.akkaPods(ns, "shop-order", 2);
    players.akkaPods(ns, "shop-shipping", 2);
    // both user pods are Running and Ready, but the second has not joined yet
    players.akkaPods(ns, "shop-user", 2, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(status.conditions, "ServicesReady").getMessage())
                  .contains("user: 1/2 Akka cluster members Up");
              assertThat(status.servicesReady).isEqualTo("2/3");
              assertThat(status.topicsReady).isEqualTo("2/2");
            });

    // the topic's spec changes; Strimzi's Ready is still the one of the old generation
    SampleSystem.edit(client, ns, s -> s.getSpec().kafka.topics.get(0).partitions += 6);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var topic =
                  client
                      .resources(KafkaTopic.class)
                      .inNamespace(ns)
                      .withName("shop-order-events")
                      .get();
              assertThat(topic.getMetadata().getGeneration()).isEqualTo(2L);
              assertThat(topic.getStatus().getObservedGeneration()).isEqualTo(1L);
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(status.topicsReady).isEqualTo("1/2");
              assertThat(condition(status.conditions, "TopicsReady").getMessage())
                  .contains("order-events: Strimzi has not yet reported on generation 2");
            });
    playTopicOperator(ns, "shop-order-events", "True", null, null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(SampleSystem.get(client, ns).getStatus().topicsReady).isEqualTo("2/2"));
  }

  @Test
  void brokenRolloutsAndCrashingPodsAreDegradedWithTheirReason() {
    String ns = SampleSystem.apply(client, "e2e-degraded");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.COMPONENTS.forEach(c -> playDeploymentController(ns, "shop-" + c, 2));
    // the deployment controller giving up on shop-user's new ReplicaSet
    var user = client.apps().deployments().inNamespace(ns).withName("shop-user").get();
    user.getStatus()
        .setConditions(
            List.of(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .withMessage("ReplicaSet \"shop-user-6f7\" has timed out progressing.")
                    .build()));
    user.getStatus().setAvailableReplicas(1);
    client.resource(user).inNamespace(ns).updateStatus();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(status.conditions, "Ready").getReason())
                  .isEqualTo("ProgressDeadlineExceeded");
              assertThat(condition(status.conditions, "Degraded").getStatus()).isEqualTo("True");
              assertThat(condition(status.conditions, "Degraded").getMessage())
                  .isEqualTo(
                      "user: Deployment shop-user exceeded its progress deadline: ReplicaSet"
                          + " \"shop-user-6f7\" has timed out progressing.");
            });

    // a pod of shipping that crash-loops: seen through the pod informer, named in the status
    var pods = players.akkaPods(ns, "shop-shipping", 2);
    String pod = pods.get(1).getMetadata().getName();
    players.waiting(
        ns, pod, "CrashLoopBackOff", "back-off 5m0s restarting failed container=shipping");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        condition(
                                SampleSystem.get(client, ns).getStatus().conditions,
                                "ServicesReady")
                            .getMessage())
                    .contains(
                        "shipping: pod "
                            + pod
                            + " CrashLoopBackOff (container service: back-off 5m0s restarting"
                            + " failed container=shipping)"));
  }

  @Test
  void theOperatorsOwnStatusPatchesDoNotReconcileAgain() {
    String ns = SampleSystem.apply(client, "e2e-ownpatch");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    long settled = settledReconcileCount(ns);
    // one event (a Deployment's status) -> one reconcile, whose status patch must not bring another
    playDeploymentController(ns, "shop-order", 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        condition(
                                SampleSystem.get(client, ns).getStatus().conditions,
                                "ServicesReady")
                            .getMessage())
                    .contains("order: 1/2 pods available"));
    await().atMost(Duration.ofSeconds(10)).until(() -> reconcileCount(ns) >= settled + 1);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(reconcileCount(ns) - settled).isEqualTo(1));
  }

  /** The reconcile count once it stopped moving (two equal readings a second apart). */
  static long settledReconcileCount(String ns) {
    var last = new java.util.concurrent.atomic.AtomicLong(-1);
    await()
        .pollDelay(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                reconcileCount(ns) > 0 && reconcileCount(ns) == last.getAndSet(reconcileCount(ns)));
    return reconcileCount(ns);
  }

  @Test
  void missingSecretIsNamedInStatus() {
    String ns = SampleSystem.apply(client, "e2e-secret");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    client.secrets().inNamespace(ns).withName("shop-db").delete();
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getMetadata().getAnnotations().put("test/touch", "1");
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready =
                  condition(SampleSystem.get(client, ns).getStatus().conditions, "ServicesReady");
              assertThat(ready.getReason()).isEqualTo("MissingConfiguration");
              assertThat(ready.getMessage())
                  .contains(
                      "Secret shop-db (referenced by spec.persistence.jdbc.credentialsSecret) does"
                          + " not exist in namespace "
                          + ns);
            });
  }

  @Test
  void missingJwksSecretIsNamedInTheGatewayCondition() {
    String ns = SampleSystem.apply(client, "e2e-jwks");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.COMPONENTS.forEach(c -> playDeploymentController(ns, "shop-" + c, 2));
    players.acceptRoute(ns, "shop-gateway");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        condition(
                                SampleSystem.get(client, ns).getStatus().conditions, "GatewayReady")
                            .getStatus())
                    .isEqualTo("True"));
    client.secrets().inNamespace(ns).withName(SampleSystem.JWKS_SECRET).delete();
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getMetadata().getAnnotations().put("test/touch", "1");
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = SampleSystem.get(client, ns).getStatus();
              var gateway = condition(status.conditions, "GatewayReady");
              assertThat(gateway.getStatus()).isEqualTo("False");
              assertThat(gateway.getReason()).isEqualTo("MissingConfiguration");
              assertThat(gateway.getMessage())
                  .contains(
                      "Secret shop-jwks (referenced by spec.gateway.auth.jwksSecretRef) "
                          + "does not exist in namespace "
                          + ns
                          + "; create it");
              assertThat(status.gateway.ready).isFalse();
              assertThat(condition(status.conditions, "ServicesReady").getMessage())
                  .doesNotContain("shop-jwks");
              assertThat(condition(status.conditions, "Ready").getStatus()).isEqualTo("False");
            });
  }

  @Test
  void childTheApiServerRejectsIsReportedAndRecovers() {
    String ns = SampleSystem.apply(client, "e2e-failure");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    // valid for the CRD, but the Deployment API refuses an environment variable name with '='
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getSpec().services.get(2).env =
              List.of(
                  new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                      .withName("CARRIER=TOKEN")
                      .withValue("t")
                      .build());
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready = condition(SampleSystem.get(client, ns).getStatus().conditions, "Ready");
              assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
              assertThat(ready.getMessage())
                  .contains("Deployment.apps \"shop-shipping\" is invalid")
                  .contains("CARRIER=TOKEN");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events(ns))
                    .filteredOn(e -> e.getReason().equals("ReconcileFailed"))
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));
    // the operator retries every 10 s; the same failure again is no news: one Warning, not one per
    // retry
    long reconciles = reconcileCount(ns);
    await().atMost(Duration.ofSeconds(35)).until(() -> reconcileCount(ns) >= reconciles + 2);
    assertThat(events(ns)).filteredOn(e -> e.getReason().equals("ReconcileFailed")).hasSize(1);

    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getSpec().services.get(2).env.get(0).setName("CARRIER_TOKEN");
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(
                      condition(SampleSystem.get(client, ns).getStatus().conditions, "Ready")
                          .getReason())
                  .isNotEqualTo("ReconcileFailed");
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-shipping")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getEnv())
                  .extracting(EnvVar::getName)
                  .contains("CARRIER_TOKEN");
              assertThat(events(ns)).extracting(Event::getReason).contains("Recovered");
            });
  }

  @Test
  void noWritesToChildrenOverFiveResyncs() {
    String ns = SampleSystem.apply(client, "e2e-noloop");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    // let the first reconciles settle, then take the picture
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30))
        .until(() -> SampleSystem.get(client, ns).getStatus() != null);
    var before = SampleSystem.resourceVersions(client, ns, HTTPRoute.class);
    for (int i = 0; i < 5; i++) {
      long reconciles = reconcileCount(ns);
      int resync = i;
      SampleSystem.edit(
          client,
          ns,
          s -> {
            s.getMetadata().getAnnotations().put("test/resync", "" + resync);
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> reconcileCount(ns) > reconciles);
    }
    assertThat(SampleSystem.resourceVersions(client, ns, HTTPRoute.class)).isEqualTo(before);
  }

  @Test
  void driftIsRevertedWithinTenSeconds() {
    String ns = SampleSystem.apply(client, "e2e-drift");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    String uid =
        client.services().inNamespace(ns).withName("shop-user").get().getMetadata().getUid();
    client.services().inNamespace(ns).withName("shop-user").delete();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("shop-order")
        .edit(
            d -> {
              d.getSpec().setReplicas(5);
              return d;
            });
    client.network().networkPolicies().inNamespace(ns).withName("shop-deny-all").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              var service = client.services().inNamespace(ns).withName("shop-user").get();
              assertThat(service).isNotNull();
              assertThat(service.getMetadata().getUid()).isNotEqualTo(uid);
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-order")
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(2);
              assertThat(
                      client
                          .network()
                          .networkPolicies()
                          .inNamespace(ns)
                          .withName("shop-deny-all")
                          .get())
                  .isNotNull();
            });
  }

  @Test
  void pauseStopsChangesAndSaysSo() {
    String ns = SampleSystem.apply(client, "e2e-pause");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getMetadata().getAnnotations().put(Labels.PAUSE_ANNOTATION, "true");
        });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var paused = condition(SampleSystem.get(client, ns).getStatus().conditions, "Paused");
              assertThat(paused.getStatus()).isEqualTo("True");
              assertThat(paused.getMessage()).contains("makes no changes");
            });
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("shop-order")
        .edit(
            d -> {
              d.getSpec().setReplicas(5);
              return d;
            });
    client.services().inNamespace(ns).withName("shop-user").delete();
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getSpec().services.get(1).replicas = 4;
        });
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-order")
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(5);
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-user")
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(2);
              assertThat(client.services().inNamespace(ns).withName("shop-user").get()).isNull();
            });

    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getMetadata().getAnnotations().remove(Labels.PAUSE_ANNOTATION);
        });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-order")
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(2);
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("shop-user")
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(4);
              assertThat(client.services().inNamespace(ns).withName("shop-user").get()).isNotNull();
              var status = SampleSystem.get(client, ns).getStatus();
              assertThat(status.condition("Paused")).isEmpty();
              assertThat(status.observedGeneration)
                  .isEqualTo(SampleSystem.get(client, ns).getMetadata().getGeneration());
            });
    assertThat(events(ns)).extracting(Event::getReason).contains("Paused", "Resumed");
  }

  @Test
  void removingAServiceOrTopicDeletesItsChildren() {
    String ns = SampleSystem.apply(client, "e2e-shrink");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.edit(
        client,
        ns,
        s -> {
          s.getSpec().services.get(0).produces = List.of("order-events");
          s.getSpec().kafka.topics.remove(1);
          s.getSpec().gateway = null;
        });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(KafkaTopic.class)
                          .inNamespace(ns)
                          .withName("shop-order-events-public")
                          .get())
                  .isNull();
              assertThat(client.apps().deployments().inNamespace(ns).withName("shop-gateway").get())
                  .isNull();
              assertThat(
                      client
                          .resources(HTTPRoute.class)
                          .inNamespace(ns)
                          .withName("shop-gateway")
                          .get())
                  .isNull();
              assertThat(
                      client
                          .network()
                          .networkPolicies()
                          .inNamespace(ns)
                          .withName("shop-gateway")
                          .get())
                  .isNull();
              assertThat(
                      client
                          .resources(KafkaTopic.class)
                          .inNamespace(ns)
                          .withName("shop-order-events")
                          .get())
                  .isNotNull();
            });
  }

  @Test
  void akkaMembershipComesFromTheReadyPodsManagementEndpoint() throws Exception {
    String ns = SampleSystem.apply(client, "e2e-akka");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    // a "pod" of order: its IP is a loopback address where a real HTTP server answers like Akka
    // Management
    String podIp = "127.0.99." + (1 + new java.util.Random().nextInt(250));
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(podIp, Ports.MANAGEMENT), 0);
    server.createContext(
        "/cluster/members",
        ex -> {
          byte[] body =
              ClusterMembershipProbeTest.MEMBERS.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      var template =
          client
              .apps()
              .deployments()
              .inNamespace(ns)
              .withName("shop-order")
              .get()
              .getSpec()
              .getTemplate();
      var pod =
          client
              .pods()
              .inNamespace(ns)
              .resource(
                  new io.fabric8.kubernetes.api.model.PodBuilder()
                      .withNewMetadata()
                      .withName("shop-order-0")
                      .withLabels(template.getMetadata().getLabels())
                      .endMetadata()
                      .withSpec(template.getSpec())
                      .build())
              .create();
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase("Running")
              .withPodIP(podIp)
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .build());
      client.pods().inNamespace(ns).resource(pod).updateStatus();
      playDeploymentController(ns, "shop-order", 2);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                var status = SampleSystem.get(client, ns).getStatus();
                assertThat(status.services.get(0).name).isEqualTo("order");
                assertThat(status.services.get(0).clusterMembers)
                    .isEqualTo(new dev.rampart.operator.api.v1alpha1.ClusterMembership(2, 1));
                assertThat(condition(status.conditions, "ServicesReady").getMessage())
                    .contains("order: 1 Akka cluster member(s) unreachable");
              });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void autoscaledServiceGetsAnHpaThatOwnsItsReplicasAcrossResyncs() {
    String ns = SampleSystem.apply(client, "e2e-hpa");
    SampleSystem.awaitChildren(client, ns, HTTPRoute.class);
    SampleSystem.edit(
        client,
        ns,
        s -> {
          var user = s.getSpec().service("user").orElseThrow();
          user.replicas = null;
          user.autoscaling = new AutoscalingSpec(2, 6, 60);
        });
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              var hpa =
                  client
                      .autoscaling()
                      .v2()
                      .horizontalPodAutoscalers()
                      .inNamespace(ns)
                      .withName("shop-user")
                      .get();
              assertThat(hpa).isNotNull();
              var spec = hpa.getSpec();
              assertThat(spec.getScaleTargetRef().getKind()).isEqualTo("Deployment");
              assertThat(spec.getScaleTargetRef().getName()).isEqualTo("shop-user");
              assertThat(spec.getMinReplicas()).isEqualTo(2);
              assertThat(spec.getMaxReplicas()).isEqualTo(6);
              assertThat(spec.getMetrics())
                  .singleElement()
                  .satisfies(
                      m -> {
                        assertThat(m.getResource().getName()).isEqualTo("cpu");
                        assertThat(m.getResource().getTarget().getAverageUtilization())
                            .isEqualTo(60);
                      });
              var scaleDown = spec.getBehavior().getScaleDown();
              assertThat(scaleDown.getStabilizationWindowSeconds()).isPositive();
              assertThat(scaleDown.getPolicies())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.getType()).isEqualTo("Pods");
                        assertThat(p.getValue()).isEqualTo(1);
                        assertThat(p.getPeriodSeconds()).isEqualTo(60);
                      });
              assertThat(hpa.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getKind()).isEqualTo("MicroserviceSystem"));
              assertThat(replicasManagers(ns, "shop-user"))
                  .doesNotContain(MicroserviceSystemReconciler.NAME);
            });
    // no HPA for the services with a fixed replica count
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(ns)
                .withName("shop-order")
                .get())
        .isNull();

    // the HPA controller sets the replica count under its own field manager
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("shop-user")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(5)
                .endSpec()
                .build())
        .fieldManager("horizontal-pod-autoscaler")
        .forceConflicts()
        .serverSideApply();
    // a spec change the operator must apply to this very Deployment, then plain resyncs
    SampleSystem.edit(
        client,
        ns,
        s ->
            s.getSpec().service("user").orElseThrow().env =
                List.of(new EnvVarBuilder().withName("FEATURE_X").withValue("on").build()));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName("shop-user")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv())
                    .extracting(EnvVar::getName)
                    .contains("FEATURE_X"));
    // that rollout raised the app-version; the HPA's scale did not
    for (int i = 0; i < 3; i++) {
      long reconciles = reconcileCount(ns);
      int resync = i;
      SampleSystem.edit(
          client, ns, s -> s.getMetadata().getAnnotations().put("test/resync", "" + resync));
      await().atMost(Duration.ofSeconds(10)).until(() -> reconcileCount(ns) > reconciles);
    }
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("shop-user")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(5);
    assertThat(replicasManagers(ns, "shop-user")).containsExactly("horizontal-pod-autoscaler");
    assertThat(appVersion(ns, "shop-user")).isEqualTo("2");
  }

  static String appVersion(String ns, String name) {
    var container =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(name)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(Env.APP_VERSION))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  /** Field managers that own the Deployment's spec.replicas. */
  static List<String> replicasManagers(String ns, String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getManagedFields()
        .stream()
        .filter(f -> f.getFieldsV1() != null)
        .filter(
            f -> {
              var spec = f.getFieldsV1().getAdditionalProperties().get("f:spec");
              return spec instanceof Map<?, ?> m && m.containsKey("f:replicas");
            })
        .map(f -> f.getManager())
        .toList();
  }

  static void playDeploymentController(String ns, String name, int ready) {
    var deployments = client.apps().deployments().inNamespace(ns).withName(name);
    var current = deployments.get();
    int replicas = current.getSpec().getReplicas();
    current.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(current.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .build());
    client.resource(current).inNamespace(ns).updateStatus();
  }

  static void playTopicOperator(
      String ns, String name, String ready, String reason, String message) {
    var topic = client.resources(KafkaTopic.class).inNamespace(ns).withName(name).get();
    topic.setStatus(
        new KafkaTopicStatusBuilder()
            .withObservedGeneration(topic.getMetadata().getGeneration())
            .withConditions(
                new ConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready)
                    .withReason(reason)
                    .withMessage(message)
                    .withLastTransitionTime("2026-11-26T00:00:00Z")
                    .build())
            .build());
    client.resource(topic).inNamespace(ns).updateStatus();
  }

  /** Reconciles of the system in the namespace that finished, from JOSDK's Micrometer metrics. */
  static long reconcileCount(String ns) {
    return (long)
        operator.registry().getMeters().stream()
            .filter(
                m ->
                    m.getId().getName().equals("operator.sdk.reconciliations.success")
                        && ns.equals(m.getId().getTag("namespace")))
            .mapToDouble(m -> m.measure().iterator().next().getValue())
            .sum();
  }

  static List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "MicroserviceSystem".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  static String value(Map<String, EnvVar> env, String name) {
    assertThat(env).containsKey(name);
    return env.get(name).getValue();
  }

  static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }

  static List<String> ingressPeers(NetworkPolicy policy, int port) {
    return policy.getSpec().getIngress().stream()
        .filter(
            r -> r.getPorts().stream().anyMatch(p -> Objects.equals(p.getPort().getIntVal(), port)))
        .flatMap(r -> r.getFrom().stream())
        .map(NetworkPolicyPeer::getPodSelector)
        .filter(Objects::nonNull)
        .map(s -> s.getMatchLabels().get(Labels.SERVICE))
        .filter(Objects::nonNull)
        .toList();
  }

  static List<String> egressPorts(NetworkPolicy policy) {
    return policy.getSpec().getEgress().stream()
        .flatMap(r -> r.getPorts().stream())
        .map((NetworkPolicyPort p) -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .toList();
  }
}
