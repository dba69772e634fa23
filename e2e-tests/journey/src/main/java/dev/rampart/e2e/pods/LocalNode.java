package dev.rampart.e2e.pods;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Node object for this machine, kept Ready the way a kubelet does: a Lease in kube-node-lease
 * renewed every few seconds and a Ready condition in the Node's status, so the node lifecycle
 * controller never taints it and the scheduler binds pods to it.
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalNode.class);
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private final KubernetesClient client;
  private final String name;
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "node-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private LocalNode(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  public static LocalNode register(KubernetesClient client, String name) {
    LocalNode node = new LocalNode(client, name);
    node.create();
    node.heartbeat.scheduleWithFixedDelay(node::beat, 5, 5, TimeUnit.SECONDS);
    return node;
  }

  public String name() {
    return name;
  }

  private void create() {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("32"),
            "memory",
            new Quantity("128Gi"),
            "pods",
            new Quantity("110"),
            "ephemeral-storage",
            new Quantity("100Gi"));
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("rampart.dev/process-pods", "true")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .serverSideApply();
    // merge patches of status without a resourceVersion: the node controller writes the same object
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withAddresses(
                    List.of(
                        new io.fabric8.kubernetes.api.model.NodeAddress("127.0.0.1", "InternalIP"),
                        new io.fabric8.kubernetes.api.model.NodeAddress(name, "Hostname")))
                .withConditions(readyCondition(now()))
                .withNewNodeInfo()
                .withKubeletVersion(
                    "v" + System.getProperty("rampart.kubernetes.version", "1.34.4"))
                .withOperatingSystem("linux")
                .withArchitecture("amd64")
                .withContainerRuntimeVersion("rampart-process://1")
                .withOsImage("process pods")
                .withKernelVersion(System.getProperty("os.version"))
                .withKubeProxyVersion("")
                .withMachineID(name)
                .withSystemUUID(name)
                .withBootID(name)
                .endNodeInfo()
                .endStatus()
                .build())
        .patchStatus();
    beat();
    log.info("node {} registered", name);
  }

  private void beat() {
    try {
      String now = now();
      client
          .leases()
          .inNamespace("kube-node-lease")
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace("kube-node-lease")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(name)
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                  .endSpec()
                  .build())
          .fieldManager("rampart-process-kubelet")
          .forceConflicts()
          .serverSideApply();
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewStatus()
                  .withConditions(readyCondition(now))
                  .endStatus()
                  .build())
          .patchStatus();
    } catch (RuntimeException e) {
      log.warn("node heartbeat failed: {}", e.getMessage());
    }
  }

  private static NodeCondition readyCondition(String now) {
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("process pod runner is posting ready status")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private static String now() {
    return RFC3339.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      client.nodes().withName(name).delete();
    } catch (RuntimeException e) {
      log.debug("node delete failed: {}", e.getMessage());
    }
  }
}
