package dev.rampart.operator.desired;

import dev.rampart.contract.Env;
import dev.rampart.contract.Labels;
import dev.rampart.contract.Ports;
import dev.rampart.contract.Probes;
import dev.rampart.contract.Shutdown;
import dev.rampart.operator.api.v1alpha1.KafkaSpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.PodTemplateOverrides;
import dev.rampart.operator.api.v1alpha1.ServiceSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Deployment of one service: pods that form one Akka cluster through the Kubernetes API and
 * serve gRPC. Everything the service process needs to know arrives as an env var named in {@link
 * Env}.
 */
public final class ServiceDeployment {
  static final String CONTAINER = "service";

  private ServiceDeployment() {}

  /** The Deployment as first applied (app-version 1). */
  public static Deployment of(MicroserviceSystem system, ServiceSpec service, String configHash) {
    return of(system, service, configHash, AppVersion.NONE);
  }

  /**
   * The Deployment, with the app-version that follows {@code applied} (what the Deployment carries
   * now): the same for the same pod template, one higher for a changed one.
   */
  public static Deployment of(
      MicroserviceSystem system, ServiceSpec service, String configHash, AppVersion applied) {
    String name = Labels.resourceName(system.name(), service.name);
    var template = service.template == null ? new PodTemplateOverrides() : service.template;
    var pod =
        new PodSpecBuilder()
            .withServiceAccountName(name)
            .withContainers(
                new ContainerBuilder()
                    .withName(CONTAINER)
                    .withImage(service.image)
                    .withImagePullPolicy(service.imagePullPolicy)
                    .withPorts(ports())
                    .withEnv(env(system, service))
                    .withEnvFrom(service.envFrom)
                    .withResources(service.resources)
                    .withStartupProbe(startupProbe(Probes.ALIVE, Ports.MANAGEMENT_NAME))
                    .withReadinessProbe(httpProbe(Probes.READY, Ports.MANAGEMENT_NAME, 5, 3))
                    .withLivenessProbe(httpProbe(Probes.ALIVE, Ports.MANAGEMENT_NAME, 10, 6))
                    .build())
            .withNodeSelector(template.nodeSelector)
            .withAffinity(template.affinity)
            .withTolerations(template.tolerations)
            .withPriorityClassName(template.priorityClassName)
            // the worst case of coordinated shutdown: every phase to its timeout
            .withTerminationGracePeriodSeconds((long) Shutdown.TERMINATION_GRACE_SECONDS)
            .build();
    RestrictedPods.harden(pod);
    var deployment = withoutAppVersion(system, service, configHash, template, pod);
    var version = applied.next(deployment.getSpec().getTemplate());
    // with the operator's variables, before the user's (which come last)
    var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    int userEnv = service.env == null ? 0 : service.env.size();
    env.add(env.size() - userEnv, PodEnvironment.literal(Env.APP_VERSION, version.version()));
    Map<String, String> annotations = new LinkedHashMap<>(); // JOSDK edits them while matching
    annotations.put(AppVersion.VERSION_ANNOTATION, String.valueOf(version.version()));
    annotations.put(AppVersion.TEMPLATE_HASH_ANNOTATION, version.templateHash());
    deployment.getMetadata().setAnnotations(annotations);
    return deployment;
  }

  private static Deployment withoutAppVersion(
      MicroserviceSystem system,
      ServiceSpec service,
      String configHash,
      PodTemplateOverrides template,
      PodSpec pod) {
    return new DeploymentBuilder()
        .withMetadata(ChildMetadata.forComponent(system, service.name, Labels.COMPONENT_SERVICE))
        .withNewSpec()
        // Autoscaled: no replicas at all, so server-side apply leaves the field to the HPA.
        .withReplicas(service.autoscaled() ? null : service.replicasOrDefault())
        .withNewSelector()
        .withMatchLabels(Labels.selectorForService(system.name(), service.name))
        .endSelector()
        // Akka: bring a new node up before taking an old one down, so the cluster keeps its
        // majority and never runs below its size.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels(system.name(), service.name, Labels.COMPONENT_SERVICE, template))
        .withAnnotations(podAnnotations(configHash, template))
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  static List<ContainerPort> ports() {
    return List.of(
        port(Ports.MANAGEMENT_NAME, Ports.MANAGEMENT),
        port(Ports.REMOTING_NAME, Ports.REMOTING),
        port(Ports.GRPC_NAME, Ports.GRPC));
  }

  static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(number)
        .withProtocol("TCP")
        .build();
  }

  /** A start-up may take this long: 5 minutes. */
  static final int STARTUP_PERIOD_SECONDS = 5;

  static final int STARTUP_FAILURE_THRESHOLD = 60;

  /**
   * Holds off liveness (and readiness) until the liveness path first answers: a JVM starting on a
   * busy node may take minutes to serve, and liveness must not restart it meanwhile.
   */
  static Probe startupProbe(String path, String portName) {
    return httpProbe(path, portName, STARTUP_PERIOD_SECONDS, STARTUP_FAILURE_THRESHOLD);
  }

  static Probe httpProbe(String path, String portName, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(portName))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  static Map<String, String> podLabels(
      String system, String component, String kind, PodTemplateOverrides template) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.labels != null) {
      labels.putAll(template.labels);
    }
    labels.putAll(Labels.forService(system, component, kind));
    return labels;
  }

  static Map<String, String> podAnnotations(String configHash, PodTemplateOverrides template) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.annotations != null) {
      annotations.putAll(template.annotations);
    }
    annotations.put(Labels.CONFIG_HASH_ANNOTATION, configHash);
    return annotations;
  }

  /** Identity and pod-IP binding, common to services and gateway. */
  static List<EnvVar> identityEnv(MicroserviceSystem system, String component) {
    List<EnvVar> env = new ArrayList<>();
    env.add(PodEnvironment.literal(Env.SYSTEM, system.name()));
    env.add(PodEnvironment.literal(Env.SERVICE, component));
    env.add(PodEnvironment.fromField(Env.POD_NAME, "metadata.name"));
    env.add(PodEnvironment.fromField(Env.POD_NAMESPACE, "metadata.namespace"));
    env.add(PodEnvironment.fromField(Env.POD_IP, "status.podIP"));
    env.add(PodEnvironment.literal(Env.LOG_FORMAT, "json"));
    return env;
  }

  /** {@code service=discoveryName,...} for the given peers, in the order given. */
  static String peers(MicroserviceSystem system, List<String> services) {
    return services.stream()
        .map(s -> s + "=" + Labels.resourceName(system.name(), s))
        .collect(Collectors.joining(","));
  }

  static List<EnvVar> env(MicroserviceSystem system, ServiceSpec service) {
    List<EnvVar> env = identityEnv(system, service.name);
    env.add(PodEnvironment.literal(Env.MANAGEMENT_PORT, Ports.MANAGEMENT));
    env.add(PodEnvironment.literal(Env.REMOTING_PORT, Ports.REMOTING));
    env.add(PodEnvironment.literal(Env.GRPC_PORT, Ports.GRPC));
    env.add(PodEnvironment.literal(Env.DISCOVERY_METHOD, Env.DISCOVERY_KUBERNETES));
    env.add(
        PodEnvironment.literal(
            Env.BOOTSTRAP_SERVICE_NAME, Labels.resourceName(system.name(), service.name)));
    // No RAMPART_REQUIRED_CONTACT_POINTS: the platform's default of 1 with a stable contact-point
    // set (stable-margin) bootstraps safely, and keeps the template independent of replicas.
    env.add(PodEnvironment.literal(Env.POD_LABEL_SELECTOR, Labels.DISCOVERY_SELECTOR_TEMPLATE));
    if (!service.callsList().isEmpty()) {
      env.add(PodEnvironment.literal(Env.PEERS, peers(system, service.callsList())));
    }
    system.getSpec().kafkaSpec().ifPresent(kafka -> env.addAll(kafkaEnv(kafka, service)));
    if (system.getSpec().persistence != null && system.getSpec().persistence.jdbc != null) {
      var jdbc = system.getSpec().persistence.jdbc;
      env.add(PodEnvironment.literal(Env.JDBC_URL, jdbc.url));
      env.add(PodEnvironment.username(Env.JDBC_USER, jdbc.credentialsSecret));
      env.add(PodEnvironment.password(Env.JDBC_PASSWORD, jdbc.credentialsSecret));
    }
    env.addAll(egressEnv(system));
    if (service.env != null) {
      env.addAll(service.env);
    }
    return env;
  }

  /**
   * {@code RAMPART_EGRESS_<NAME>_URL} per declared egress endpoint: the gateway's internal egress
   * port, the only way out of the system (the wall lets service pods reach nothing else outside).
   * Every service gets every endpoint: which service calls which is not declared.
   */
  static List<EnvVar> egressEnv(MicroserviceSystem system) {
    return system
        .getSpec()
        .gatewaySpec()
        .map(
            g ->
                g.egressList().stream()
                    .map(
                        e ->
                            PodEnvironment.literal(
                                Env.egressUrl(e.name), egressUrl(system, e.name)))
                    .toList())
        .orElse(List.of());
  }

  /** {@code http://<system>-gateway:8081/egress/<name>}. */
  public static String egressUrl(MicroserviceSystem system, String egress) {
    return "http://"
        + Labels.resourceName(system.name(), Labels.GATEWAY_SERVICE_NAME)
        + ":"
        + Ports.GATEWAY_EGRESS
        + "/egress/"
        + egress;
  }

  private static List<EnvVar> kafkaEnv(KafkaSpec kafka, ServiceSpec service) {
    List<EnvVar> env = new ArrayList<>();
    env.add(PodEnvironment.literal(Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers));
    if (!service.producesList().isEmpty()) {
      env.add(PodEnvironment.literal(Env.KAFKA_PRODUCES, String.join(",", service.producesList())));
    }
    if (!service.consumesList().isEmpty()) {
      env.add(PodEnvironment.literal(Env.KAFKA_CONSUMES, String.join(",", service.consumesList())));
    }
    if (kafka.authentication != null && kafka.authentication.secretRef != null) {
      env.add(PodEnvironment.username(Env.KAFKA_USERNAME, kafka.authentication.secretRef));
      env.add(PodEnvironment.password(Env.KAFKA_PASSWORD, kafka.authentication.secretRef));
    }
    return env;
  }
}
