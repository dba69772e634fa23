package dev.rampart.contract;

/** HTTP paths of the health endpoints the pods serve and the Deployments probe. */
public final class Probes {
  /** Services: readiness on the management port (cluster member Up and journal reachable). */
  public static final String READY = "/ready";

  /** Services: liveness on the management port. */
  public static final String ALIVE = "/alive";

  /** Gateway: readiness on its HTTP port. */
  public static final String GATEWAY_READY = "/readyz";

  /** Gateway: liveness on its HTTP port. */
  public static final String GATEWAY_ALIVE = "/healthz";

  /** Prometheus metrics, on the management port (services) or the HTTP port (gateway). */
  public static final String METRICS = "/metrics";

  private Probes() {}
}
