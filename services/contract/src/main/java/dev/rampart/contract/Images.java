package dev.rampart.contract;

/**
 * Default image repositories; the tag is the Rampart version. Local runners map these to module
 * jars.
 */
public final class Images {
  public static final String REGISTRY = "ghcr.io/rampart";
  public static final String OPERATOR = REGISTRY + "/rampart-operator";
  public static final String ORDER = REGISTRY + "/order-service";
  public static final String USER = REGISTRY + "/user-service";
  public static final String SHIPPING = REGISTRY + "/shipping-service";
  public static final String GATEWAY = REGISTRY + "/gateway";

  private Images() {}
}
