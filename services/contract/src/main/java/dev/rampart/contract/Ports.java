package dev.rampart.contract;

/** Container ports of every Rampart pod: numbers and the names the Deployment gives them. */
public final class Ports {
  /**
   * Akka Management HTTP: cluster bootstrap contact point, /ready, /alive, /cluster/members,
   * /metrics.
   */
  public static final int MANAGEMENT = 8558;

  /** Akka remoting (Artery TCP) between the nodes of one service's cluster. */
  public static final int REMOTING = 25520;

  /** The service's gRPC server (HTTP/2). */
  public static final int GRPC = 8101;

  /** The gateway's public HTTP port. */
  public static final int HTTP = 8080;

  /**
   * The gateway's internal egress listener ({@code /egress/<name>/...}): only the system's own pods
   * reach it, never the public Service or route, so the gateway is no open proxy.
   */
  public static final int GATEWAY_EGRESS = 8081;

  /** Must equal akka.management.cluster.bootstrap.contact-point-discovery.port-name. */
  public static final String MANAGEMENT_NAME = "management";

  public static final String REMOTING_NAME = "remoting";

  /** Port name gRPC clients look up through kubernetes-api discovery. */
  public static final String GRPC_NAME = "grpc";

  public static final String HTTP_NAME = "http";

  public static final String GATEWAY_EGRESS_NAME = "egress";

  private Ports() {}
}
