package dev.rampart.operator.desired;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import dev.rampart.operator.api.v1alpha1.GatewayEgress;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.PodTemplateOverrides;
import dev.rampart.operator.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Deployment of the gateway: stateless HTTP pods that forward to the routed services over gRPC.
 * The JWKS Secret is a read-only volume (the key renamed to {@value #JWKS_FILE}) at {@value
 * #JWKS_DIR}; the gateway finds it through {@link Env#JWT_JWKS_PATH}. With {@code
 * spec.gateway.egress}, it also listens on the internal egress port and reads each endpoint's CA
 * and credentials from {@value #EGRESS_DIR}.
 */
public final class GatewayDeployment {
  static final String CONTAINER = "gateway";
  public static final String JWKS_VOLUME = "jwks";
  public static final String JWKS_DIR = "/etc/rampart/jwt";
  public static final String JWKS_FILE = "jwks.json";
  public static final String JWKS_PATH = JWKS_DIR + "/" + JWKS_FILE;
  public static final String EGRESS_VOLUME = "egress";
  public static final String EGRESS_DIR = Env.DEFAULT_GATEWAY_EGRESS_DIR;

  private GatewayDeployment() {}

  public static Deployment of(MicroserviceSystem system, GatewaySpec gateway, String configHash) {
    String component = Labels.GATEWAY_SERVICE_NAME;
    var noOverrides = new PodTemplateOverrides();
    var deployment =
        new DeploymentBuilder()
            .withMetadata(ChildMetadata.forComponent(system, component, Labels.COMPONENT_GATEWAY))
            .withNewSpec()
            .withReplicas(gateway.replicasOrDefault())
            .withNewSelector()
            .withMatchLabels(Labels.selectorForService(system.name(), component))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(
                ServiceDeployment.podLabels(
                    system.name(), component, Labels.COMPONENT_GATEWAY, noOverrides))
            .withAnnotations(ServiceDeployment.podAnnotations(configHash, noOverrides))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(Labels.resourceName(system.name(), component))
            .withContainers(
                new ContainerBuilder()
                    .withName(CONTAINER)
                    .withImage(gateway.imageOrDefault())
                    .withPorts(ports(gateway))
                    .withEnv(env(system, gateway))
                    .withVolumeMounts(mounts(gateway))
                    .withResources(gateway.resources)
                    .withStartupProbe(
                        ServiceDeployment.startupProbe(Probes.GATEWAY_ALIVE, Ports.HTTP_NAME))
                    .withReadinessProbe(
                        ServiceDeployment.httpProbe(Probes.GATEWAY_READY, Ports.HTTP_NAME, 5, 3))
                    .withLivenessProbe(
                        ServiceDeployment.httpProbe(Probes.GATEWAY_ALIVE, Ports.HTTP_NAME, 10, 6))
                    .build())
            .withVolumes(volumes(gateway))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    RestrictedPods.harden(deployment.getSpec().getTemplate().getSpec());
    return deployment;
  }

  /**
   * {@code /api/orders=order:orders.v1,...}: what the gateway reads to map paths to services, the
   * API always named.
   */
  public static String routes(GatewaySpec gateway) {
    return ServedRoutes.of(gateway).served().stream()
        .map(r -> r.pathPrefix + "=" + r.service + ":" + r.httpApi().orElseThrow().id())
        .collect(Collectors.joining(","));
  }

  static List<EnvVar> env(MicroserviceSystem system, GatewaySpec gateway) {
    List<EnvVar> env = ServiceDeployment.identityEnv(system, Labels.GATEWAY_SERVICE_NAME);
    env.add(PodEnvironment.literal(Env.HTTP_PORT, Ports.HTTP));
    env.add(PodEnvironment.literal(Env.DISCOVERY_METHOD, Env.DISCOVERY_KUBERNETES));
    env.add(PodEnvironment.literal(Env.GATEWAY_ROUTES, routes(gateway)));
    env.add(
        PodEnvironment.literal(
            Env.PEERS, ServiceDeployment.peers(system, routedServices(gateway))));
    if (gateway.auth != null) {
      if (gateway.auth.jwksUri != null)
        env.add(PodEnvironment.literal(Env.JWT_JWKS_URI, gateway.auth.jwksUri));
      else env.add(PodEnvironment.literal(Env.JWT_JWKS_PATH, JWKS_PATH));
      env.add(PodEnvironment.literal(Env.JWT_ISSUER, gateway.auth.issuer));
      env.add(PodEnvironment.literal(Env.JWT_AUDIENCE, gateway.auth.audience));
    }
    gateway
        .rateLimitSpec()
        .ifPresent(
            limit -> {
              env.add(PodEnvironment.literal(Env.RATE_LIMIT_RPS, limit.requestsPerSecond));
              env.add(PodEnvironment.literal(Env.RATE_LIMIT_BURST, limit.burst));
            });
    gateway
        .streamsSpec()
        .ifPresent(
            streams -> {
              if (streams.perSubject != null)
                env.add(PodEnvironment.literal(Env.STREAMS_PER_SUBJECT, streams.perSubject));
              if (streams.perPod != null)
                env.add(PodEnvironment.literal(Env.STREAMS_PER_POD, streams.perPod));
            });
    if (!gateway.corsAllowedOriginList().isEmpty()) {
      env.add(
          PodEnvironment.literal(
              Env.CORS_ALLOWED_ORIGINS, String.join(",", gateway.corsAllowedOriginList())));
    }
    if (gateway.auth != null && gateway.auth.partnerAudience != null) {
      env.add(PodEnvironment.literal(Env.JWT_PARTNER_AUDIENCE, gateway.auth.partnerAudience));
    }
    if (gateway.auth != null && gateway.auth.partnerScope != null) {
      env.add(PodEnvironment.literal(Env.JWT_PARTNER_SCOPE, gateway.auth.partnerScope));
    }
    if (!gateway.egressList().isEmpty()) {
      env.add(
          PodEnvironment.literal(
              Env.GATEWAY_EGRESS,
              gateway.egressList().stream()
                  .map(e -> e.name + "=" + e.baseUrl)
                  .collect(Collectors.joining(","))));
      env.add(PodEnvironment.literal(Env.GATEWAY_EGRESS_DIR, EGRESS_DIR));
    }
    return env;
  }

  /** The public HTTP port; with egress declared, also the internal egress port. */
  static List<ContainerPort> ports(GatewaySpec gateway) {
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(ServiceDeployment.port(Ports.HTTP_NAME, Ports.HTTP));
    if (!gateway.egressList().isEmpty()) {
      ports.add(ServiceDeployment.port(Ports.GATEWAY_EGRESS_NAME, Ports.GATEWAY_EGRESS));
    }
    return ports;
  }

  static List<Volume> volumes(GatewaySpec gateway) {
    List<Volume> volumes = new ArrayList<>(jwksVolumes(gateway));
    egressVolume(gateway).ifPresent(volumes::add);
    return volumes;
  }

  static List<VolumeMount> mounts(GatewaySpec gateway) {
    List<VolumeMount> mounts = new ArrayList<>(jwksMounts(gateway));
    if (egressVolume(gateway).isPresent()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(EGRESS_VOLUME)
              .withMountPath(EGRESS_DIR)
              .withReadOnly(true)
              .build());
    }
    return mounts;
  }

  /**
   * The egress endpoints' CA and credentials keys, one projected volume: {@code <name>/ca.crt} and
   * {@code <name>/authorization} under {@value #EGRESS_DIR}, each from its own Secret key (a
   * directory mount, never subPath, so a changed Secret reaches the files).
   */
  static Optional<Volume> egressVolume(GatewaySpec gateway) {
    List<VolumeProjection> sources = new ArrayList<>();
    for (GatewayEgress egress : gateway.egressList()) {
      if (egress.caSecretRef != null) {
        sources.add(secretFile(egress.caSecretRef, egress.name + "/" + Env.EGRESS_CA_FILE));
      }
      if (egress.credentialsSecretRef != null) {
        sources.add(
            secretFile(
                egress.credentialsSecretRef, egress.name + "/" + Env.EGRESS_AUTHORIZATION_FILE));
      }
    }
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new VolumeBuilder()
            .withName(EGRESS_VOLUME)
            .withNewProjected()
            .withSources(sources)
            .endProjected()
            .build());
  }

  private static VolumeProjection secretFile(SecretKeyRef ref, String path) {
    return new VolumeProjectionBuilder()
        .withNewSecret()
        .withName(ref.name)
        .withItems(new KeyToPathBuilder().withKey(ref.key).withPath(path).build())
        .endSecret()
        .build();
  }

  /**
   * The JWKS Secret as a whole-directory mount (never subPath: the kubelet only updates Secret
   * volumes in place without one, and the gateway re-reads the file when it changes, so keys rotate
   * without a restart).
   */
  static List<Volume> jwksVolumes(GatewaySpec gateway) {
    if (gateway.auth == null || gateway.auth.jwksSecretRef == null) {
      return List.of();
    }
    var ref = gateway.auth.jwksSecretRef;
    return List.of(
        new VolumeBuilder()
            .withName(JWKS_VOLUME)
            .withNewSecret()
            .withSecretName(ref.name)
            .withItems(
                new KeyToPathBuilder().withKey(ref.keyOrDefault()).withPath(JWKS_FILE).build())
            .endSecret()
            .build());
  }

  static List<VolumeMount> jwksMounts(GatewaySpec gateway) {
    if (jwksVolumes(gateway).isEmpty()) {
      return List.of();
    }
    return List.of(
        new VolumeMountBuilder()
            .withName(JWKS_VOLUME)
            .withMountPath(JWKS_DIR)
            .withReadOnly(true)
            .build());
  }

  public static List<String> routedServices(GatewaySpec gateway) {
    return ServedRoutes.of(gateway).served().stream().map(r -> r.service).distinct().toList();
  }
}
