package dev.rampart.operator.reconciler;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a MicroserviceSystem: what the operator created or changed, failures and
 * recoveries, so {@code kubectl describe msys} tells the story. Writing an Event never fails a
 * reconcile.
 */
public final class SystemEvents {
  public static final String COMPONENT = Labels.MANAGED_BY_VALUE;
  private static final Logger log = LoggerFactory.getLogger(SystemEvents.class);
  private final KubernetesClient client;

  private SystemEvents(KubernetesClient client) {
    this.client = client;
  }

  public static SystemEvents of(Context<?> context) {
    return new SystemEvents(context.getClient());
  }

  public static SystemEvents of(KubernetesClient client) {
    return new SystemEvents(client);
  }

  public void childCreated(MicroserviceSystem system, HasMetadata child) {
    normal(system, "Created", "Created " + child.getKind() + " " + child.getMetadata().getName());
  }

  public void childUpdated(MicroserviceSystem system, HasMetadata child) {
    normal(
        system,
        "Updated",
        "Updated "
            + child.getKind()
            + " "
            + child.getMetadata().getName()
            + " to the desired state (spec change or drift)");
  }

  public void normal(MicroserviceSystem system, String reason, String message) {
    record(system, "Normal", reason, message);
  }

  public void warning(MicroserviceSystem system, String reason, String message) {
    record(system, "Warning", reason, message);
  }

  private void record(MicroserviceSystem system, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var metadata = system.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(metadata.getName() + ".")
            .withNamespace(metadata.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(system.getApiVersion())
                    .withKind(system.getKind())
                    .withName(metadata.getName())
                    .withNamespace(metadata.getNamespace())
                    .withUid(metadata.getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not record event {} on {}/{}: {}",
          reason,
          metadata.getNamespace(),
          metadata.getName(),
          e.getMessage());
    }
  }
}
