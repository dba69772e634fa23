package dev.rampart.operator.reconciler;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets an update of a MicroserviceSystem reconcile only when its spec (generation), annotations
 * (pause), labels, finalizers or deletion changed, so the operator's own status patches do not
 * cause another reconcile. (Generation-aware processing alone would miss the pause annotation.)
 */
public class SpecOrMetadataChanged implements OnUpdateFilter<MicroserviceSystem> {
  @Override
  public boolean accept(MicroserviceSystem newer, MicroserviceSystem older) {
    var n = newer.getMetadata();
    var o = older.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(n.getAnnotations(), o.getAnnotations())
        || !Objects.equals(n.getLabels(), o.getLabels())
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp());
  }
}
