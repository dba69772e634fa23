package dev.rampart.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop sample applied in a namespace of its own, and the children the operator must create for
 * it.
 */
public final class SampleSystem {
  public static final List<String> COMPONENTS = List.of("order", "user", "shipping", "gateway");
  public static final List<Class<? extends HasMetadata>> PER_COMPONENT_KINDS =
      List.of(
          Deployment.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class,
          Service.class,
          PodDisruptionBudget.class);

  private SampleSystem() {}

  /**
   * The sample's JWKS Secret (what the gateway mounts). The operator never parses it, so one key
   * will do.
   */
  public static final String JWKS_SECRET = "shop-jwks";

  public static final String JWKS =
      "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\","
          + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
          + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

  /**
   * Creates the namespace, the DB credentials and JWKS Secrets and the system; returns the
   * namespace.
   */
  public static String apply(KubernetesClient client, String prefix) {
    String ns = Namespaces.create(client, prefix);
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-db")
                .endMetadata()
                .addToStringData("username", "shop")
                .addToStringData("password", "secret")
                .build())
        .create();
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(JWKS_SECRET)
                .endMetadata()
                .addToStringData("jwks.json", JWKS)
                .build())
        .create();
    client.resource(Samples.shop(ns)).create();
    return ns;
  }

  /**
   * Edits the system as a user would; a conflict with the operator's status write is retried.
   * Metadata annotations are never null in {@code change}.
   */
  public static void edit(
      KubernetesClient client, String ns, java.util.function.Consumer<MicroserviceSystem> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .until(
            () -> {
              client
                  .resources(MicroserviceSystem.class)
                  .inNamespace(ns)
                  .withName("shop")
                  .edit(
                      s -> {
                        if (s.getMetadata().getAnnotations() == null) {
                          s.getMetadata().setAnnotations(new LinkedHashMap<>());
                        }
                        change.accept(s);
                        return s;
                      });
              return true;
            });
  }

  public static MicroserviceSystem get(KubernetesClient client, String ns) {
    return client.resources(MicroserviceSystem.class).inNamespace(ns).withName("shop").get();
  }

  /**
   * Every child the sample should have, by kind and name (the route kind depends on the cluster).
   */
  public static Map<Class<? extends HasMetadata>, List<String>> expectedChildren(
      Class<? extends HasMetadata> route) {
    Map<Class<? extends HasMetadata>, List<String>> expected = new LinkedHashMap<>();
    List<String> perComponent = COMPONENTS.stream().map(c -> "shop-" + c).toList();
    PER_COMPONENT_KINDS.forEach(kind -> expected.put(kind, perComponent));
    expected.put(KafkaTopic.class, List.of("shop-order-events", "shop-order-events-public"));
    expected.put(route, List.of("shop-gateway"));
    List<String> policies = new ArrayList<>(List.of("shop-deny-all"));
    policies.addAll(perComponent);
    expected.put(NetworkPolicy.class, policies);
    return expected;
  }

  public static void awaitChildren(
      KubernetesClient client, String ns, Class<? extends HasMetadata> route) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                expectedChildren(route)
                    .forEach(
                        (kind, names) ->
                            names.forEach(
                                name ->
                                    org.assertj.core.api.Assertions.assertThat(
                                            client
                                                .resources(kind)
                                                .inNamespace(ns)
                                                .withName(name)
                                                .get())
                                        .as(kind.getSimpleName() + " " + name)
                                        .isNotNull())));
  }

  /** kind/name -> resourceVersion of every expected child. */
  public static Map<String, String> resourceVersions(
      KubernetesClient client, String ns, Class<? extends HasMetadata> route) {
    Map<String, String> versions = new LinkedHashMap<>();
    expectedChildren(route)
        .forEach(
            (kind, names) ->
                names.forEach(
                    name ->
                        versions.put(
                            kind.getSimpleName() + "/" + name,
                            client
                                .resources(kind)
                                .inNamespace(ns)
                                .withName(name)
                                .get()
                                .getMetadata()
                                .getResourceVersion())));
    return versions;
  }
}
