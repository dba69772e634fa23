package dev.rampart.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels and annotations on every object the operator creates, and the selector Akka discovery
 * uses.
 */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY_VALUE = "rampart-operator";

  /**
   * {@link #NAME} of the operator's own pods: the NetworkPolicies let pods with it (any namespace)
   * reach the services' management port, where the operator reads Akka cluster membership for the
   * status.
   */
  public static final String OPERATOR_NAME = "rampart-operator";

  /** The MicroserviceSystem a pod belongs to (NetworkPolicies select on it). */
  public static final String SYSTEM = "rampart.dev/system";

  /** The service (or "gateway") within its system. */
  public static final String SERVICE = "rampart.dev/service";

  /**
   * Discovery label: its value is the discovery name {@code <system>-<service>}. Akka's
   * kubernetes-api discovery finds pods with the selector {@link #DISCOVERY_SELECTOR_TEMPLATE},
   * formatted with that name, both for cluster bootstrap and for gRPC clients that look up a peer.
   */
  public static final String DISCOVERY = "rampart.dev/discovery";

  public static final String DISCOVERY_SELECTOR_TEMPLATE = DISCOVERY + "=%s";

  /**
   * Pod-template annotation: hash of the referenced Secrets/ConfigMaps, so a change rolls the pods.
   */
  public static final String CONFIG_HASH_ANNOTATION = "rampart.dev/config-hash";

  /** On a MicroserviceSystem: "true" stops all changes to its children. */
  public static final String PAUSE_ANNOTATION = "rampart.dev/pause-reconciliation";

  public static final String COMPONENT_SERVICE = "service";
  public static final String COMPONENT_GATEWAY = "gateway";
  public static final String GATEWAY_SERVICE_NAME = "gateway";

  /** Name of every per-service object, and the service's discovery name. */
  public static String resourceName(String system, String service) {
    return system + "-" + service;
  }

  /** The labels on the pods (and the objects) of one service of one system. */
  public static Map<String, String> forService(String system, String service, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, service);
    labels.put(INSTANCE, resourceName(system, service));
    labels.put(PART_OF, system);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(COMPONENT, component);
    labels.put(SYSTEM, system);
    labels.put(SERVICE, service);
    labels.put(DISCOVERY, resourceName(system, service));
    return labels;
  }

  /**
   * The smallest stable set selecting one service's pods (Deployment/Service/PDB selectors never
   * change).
   */
  public static Map<String, String> selectorForService(String system, String service) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(SYSTEM, system);
    selector.put(SERVICE, service);
    return selector;
  }

  private Labels() {}
}
