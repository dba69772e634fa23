package dev.rampart.operator.dependent;

import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.reconciler.ReferencedConfig;
import dev.rampart.operator.reconciler.SystemEvents;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All children of one kind of one MicroserviceSystem, applied with server-side apply and owned by
 * the system (so Kubernetes garbage-collects them with it). Subclasses only say what the children
 * should be, as a pure function of the system; the ones no longer desired are deleted.
 */
public abstract class SystemChildren<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, MicroserviceSystem>
    implements KubernetesBulkDependentResource<R, MicroserviceSystem> {

  /** Every child carries this label; informers watch only these objects. */
  public static final String MANAGED_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE;

  protected SystemChildren(Class<R> type) {
    super(type);
  }

  /** The desired children: a pure function of the system and the config it references. */
  protected abstract List<R> desired(MicroserviceSystem system, ReferencedConfig config);

  /**
   * The desired children when they also depend on what was applied before (the children as the
   * informer has them now). By default they do not.
   */
  protected List<R> desired(
      MicroserviceSystem system, ReferencedConfig config, Map<String, R> appliedByName) {
    return desired(system, config);
  }

  /** The desired children when they also depend on what the informers see (by default, not). */
  protected List<R> desired(
      MicroserviceSystem system,
      Context<MicroserviceSystem> context,
      Map<String, R> appliedByName) {
    return desired(system, ReferencedConfig.of(system, context), appliedByName);
  }

  @Override
  public Map<ResourceID, R> desiredResources(
      MicroserviceSystem system, Context<MicroserviceSystem> context) {
    Map<String, R> applied = new LinkedHashMap<>();
    context
        .getSecondaryResourcesAsStream(resourceType())
        .forEach(r -> applied.put(r.getMetadata().getName(), r));
    Map<ResourceID, R> desired = new LinkedHashMap<>();
    desired(system, context, applied).forEach(r -> desired.put(ResourceID.fromResource(r), r));
    return desired;
  }

  @Override
  protected void onCreated(
      MicroserviceSystem primary, R created, Context<MicroserviceSystem> context) {
    super.onCreated(primary, created, context);
    SystemEvents.of(context).childCreated(primary, created);
  }

  @Override
  protected void onUpdated(
      MicroserviceSystem primary, R updated, R actual, Context<MicroserviceSystem> context) {
    super.onUpdated(primary, updated, actual, context);
    SystemEvents.of(context).childUpdated(primary, updated);
  }
}
