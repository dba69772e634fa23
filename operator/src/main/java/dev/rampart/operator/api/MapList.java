package dev.rampart.operator.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A list field of the model whose entries are identified by {@link #keys()}: written to the CRD as
 * {@code x-kubernetes-list-type: map} by {@link MapListTypes}, since the fabric8 CRD generator has
 * no annotation for it. The API server then rejects duplicate keys, server-side apply merges the
 * list per entry (two field managers can own different entries), and transition rules on an entry
 * see its old self. The keys must be required fields of the entry.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface MapList {
  String[] keys();
}
