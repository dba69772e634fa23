package dev.rampart.operator.dependent;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.desired.AppVersion;
import dev.rampart.operator.desired.GatewayDeployment;
import dev.rampart.operator.desired.ServiceDeployment;
import dev.rampart.operator.reconciler.ReferencedConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Deployment per service, and the gateway's. */
@KubernetesDependent(informer = @Informer(labelSelector = SystemChildren.MANAGED_SELECTOR))
public class DeploymentDependent extends SystemChildren<Deployment> {
  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected List<Deployment> desired(MicroserviceSystem system, ReferencedConfig config) {
    return desired(system, config, Map.of());
  }

  /** A service's app-version continues from the one its Deployment carries. */
  @Override
  protected List<Deployment> desired(
      MicroserviceSystem system, ReferencedConfig config, Map<String, Deployment> applied) {
    List<Deployment> deployments = new ArrayList<>();
    system
        .getSpec()
        .services()
        .forEach(
            s ->
                deployments.add(
                    ServiceDeployment.of(
                        system,
                        s,
                        config.hashOf(s.name),
                        AppVersion.of(applied.get(Labels.resourceName(system.name(), s.name))))));
    system
        .getSpec()
        .gatewaySpec()
        .ifPresent(
            g ->
                deployments.add(
                    GatewayDeployment.of(system, g, config.hashOf(Labels.GATEWAY_SERVICE_NAME))));
    return deployments;
  }
}
