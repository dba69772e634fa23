package dev.rampart.e2e.kube;

import dev.rampart.contract.Labels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The third-party carrier on kind: the carrier simulator's Jib image (built and loaded by
 * run-kind-e2e.sh) in a namespace of its own, outside the shop's wall. The shop declares it as its
 * {@code carrier} egress ({@link #baseUrl()}); its webhooks come back in through the gateway's
 * in-cluster Service on the public HTTP port, signed with a partner token kept in a Secret. Pure:
 * {@link #manifests} only renders (KindManifestsTest validates them on an API server).
 */
public final class KindCarrier {
  public static final String NAMESPACE = "carrier";
  public static final String NAME = "carrier-simulator";
  public static final String IMAGE = "ghcr.io/rampart/carrier-simulator";
  public static final int PORT = 8480;
  static final String TOKEN_SECRET = "carrier-webhook";
  static final String TOKEN_KEY = "token";

  /** Rolls the simulator when its token changes: it reads the Secret only at start. */
  static final String TOKEN_HASH_ANNOTATION = "rampart.dev/webhook-token-sha256";

  private KindCarrier() {}

  /** The carrier's API as the shop's egress names it (the Service's port is the pod's port). */
  public static URI baseUrl() {
    return URI.create("http://" + NAME + "." + NAMESPACE + ".svc:" + PORT);
  }

  /** The gateway's in-cluster Service on its public HTTP port, where the webhooks enter. */
  public static URI webhookBase(int gatewayServicePort) {
    return URI.create(
        "http://"
            + Labels.resourceName(ShopCluster.SYSTEM, Labels.GATEWAY_SERVICE_NAME)
            + "."
            + ShopCluster.NAMESPACE
            + ".svc:"
            + gatewayServicePort);
  }

  /**
   * The namespace (restricted Pod Security, like the shop's), the Secret with the partner token,
   * the Deployment of the simulator image tagged {@code imageTag} and its Service.
   */
  public static List<HasMetadata> manifests(
      String imageTag, String partnerToken, int gatewayServicePort) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", NAME);
    var namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(NAMESPACE)
            .withLabels(ShopCluster.RESTRICTED_POD_SECURITY)
            .endMetadata()
            .build();
    var secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(TOKEN_SECRET)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .addToStringData(TOKEN_KEY, partnerToken)
            .build();
    var container =
        new ContainerBuilder()
            .withName(NAME)
            .withImage(IMAGE + ":" + imageTag)
            .withImagePullPolicy("IfNotPresent")
            .withEnv(
                new EnvVarBuilder().withName("CARRIER_HOST").withValue("0.0.0.0").build(),
                new EnvVarBuilder()
                    .withName("CARRIER_PORT")
                    .withValue(Integer.toString(PORT))
                    .build(),
                new EnvVarBuilder()
                    .withName("CARRIER_WEBHOOK_BASE")
                    .withValue(webhookBase(gatewayServicePort).toString())
                    .build(),
                new EnvVarBuilder()
                    .withName("CARRIER_WEBHOOK_TOKEN")
                    .withNewValueFrom()
                    .withNewSecretKeyRef(TOKEN_KEY, TOKEN_SECRET, false)
                    .endValueFrom()
                    .build())
            .addNewPort()
            .withName("http")
            .withContainerPort(PORT)
            .endPort()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withPort(new IntOrString(PORT))
            .endHttpGet()
            .withPeriodSeconds(2)
            .endReadinessProbe()
            .withNewResources()
            .addToRequests("cpu", new Quantity("50m"))
            .addToRequests("memory", new Quantity("128Mi"))
            .addToLimits("memory", new Quantity("192Mi"))
            .endResources()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .build();
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(NAMESPACE)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(Map.of(TOKEN_HASH_ANNOTATION, sha256(partnerToken)))
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65532L) // the Jib images' user
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(NAMESPACE)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withSelector(labels)
            .addNewPort()
            .withName("http")
            .withPort(PORT)
            .withTargetPort(new IntOrString(PORT))
            .endPort()
            .endSpec()
            .build();
    return List.of(namespace, secret, deployment, service);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
