package dev.rampart.contract;

/**
 * Environment variables the operator sets on a pod and the service (or gateway) reads at start-up.
 * Local runs without Kubernetes set the same variables by hand; every knob a process pod needs is
 * one of these.
 */
public final class Env {
  // --- identity
  // -----------------------------------------------------------------------------------------
  /** Name of the MicroserviceSystem. */
  public static final String SYSTEM = "RAMPART_SYSTEM";

  /** Name of this service within the system ("order", "user", "shipping", "gateway"). */
  public static final String SERVICE = "RAMPART_SERVICE";

  /** Pod name, from the downward API (metadata.name). */
  public static final String POD_NAME = "POD_NAME";

  /**
   * Pod IP, from the downward API (status.podIP). Remoting binds and advertises it; management and
   * gRPC bind it and {@link #LOCALHOST}.
   */
  public static final String POD_IP = "POD_IP";

  /**
   * The address {@code localhost} is inside the pod, where the gRPC, HTTP and management servers
   * listen too (see {@link Localhost}). Unset in Kubernetes (127.0.0.1); the e2e's process-pod
   * runner, whose pods share one network namespace, gives each pod a distinct one.
   */
  public static final String LOCALHOST = "RAMPART_LOCALHOST";

  /** Pod namespace, from the downward API (metadata.namespace). */
  public static final String POD_NAMESPACE = "POD_NAMESPACE";

  // --- ports (defaults in {@link Ports})
  // --------------------------------------------------------------------
  public static final String MANAGEMENT_PORT = "RAMPART_MANAGEMENT_PORT";
  public static final String REMOTING_PORT = "RAMPART_REMOTING_PORT";
  public static final String GRPC_PORT = "RAMPART_GRPC_PORT";
  public static final String HTTP_PORT = "RAMPART_HTTP_PORT";

  // --- cluster formation
  // ----------------------------------------------------------------------------------
  /**
   * "kubernetes-api" (in Kubernetes) or "config" (local runs: contact points from {@link
   * #CONTACT_POINTS}).
   */
  public static final String DISCOVERY_METHOD = "RAMPART_DISCOVERY_METHOD";

  public static final String DISCOVERY_KUBERNETES = "kubernetes-api";
  public static final String DISCOVERY_CONFIG = "config";

  /** Cluster bootstrap service name: the discovery name {@code <system>-<service>}. */
  public static final String BOOTSTRAP_SERVICE_NAME = "RAMPART_BOOTSTRAP_SERVICE_NAME";

  /**
   * Contact points required before the first node forms a new cluster. Local runs only: in
   * Kubernetes the operator leaves it unset (1, with a stable contact-point set), so the pod
   * template does not change with the replica count.
   */
  public static final String REQUIRED_CONTACT_POINTS = "RAMPART_REQUIRED_CONTACT_POINTS";

  /**
   * {@code akka.cluster.app-version} of the node: a counter the operator raises with every change
   * of the service's pod template, so sharding allocates new shards to the new nodes of a rollout.
   */
  public static final String APP_VERSION = "RAMPART_APP_VERSION";

  /**
   * Pod label selector template for kubernetes-api discovery, e.g. {@code
   * rampart.dev/discovery=%s}.
   */
  public static final String POD_LABEL_SELECTOR = "RAMPART_POD_LABEL_SELECTOR";

  /** Local runs: comma-separated {@code host:managementPort} of this service's nodes. */
  public static final String CONTACT_POINTS = "RAMPART_CONTACT_POINTS";

  /** Path of the ServiceAccount token (default: the standard mount). */
  public static final String KUBERNETES_TOKEN_PATH = "RAMPART_KUBERNETES_TOKEN_PATH";

  /** Path of the API server CA bundle (default: the standard mount). */
  public static final String KUBERNETES_CA_PATH = "RAMPART_KUBERNETES_CA_PATH";

  public static final String DEFAULT_TOKEN_PATH =
      "/var/run/secrets/kubernetes.io/serviceaccount/token";
  public static final String DEFAULT_CA_PATH =
      "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

  // --- gRPC peers
  // -----------------------------------------------------------------------------------------
  /**
   * The services this one calls: comma-separated {@code service=discoveryName}, e.g. {@code
   * user=shop-user,shipping=shop-shipping}. In Kubernetes the discovery name is looked up through
   * the API (pods with {@link Labels#DISCOVERY}, port {@link Ports#GRPC_NAME}), balancing per pod.
   */
  public static final String PEERS = "RAMPART_PEERS";

  /**
   * Local runs: static gRPC endpoints, {@code service=host:port|host:port,service2=host:port}. When
   * set for a peer it wins over discovery.
   */
  public static final String PEER_ENDPOINTS = "RAMPART_PEER_ENDPOINTS";

  // --- Kafka
  // ----------------------------------------------------------------------------------------------
  public static final String KAFKA_BOOTSTRAP_SERVERS = "RAMPART_KAFKA_BOOTSTRAP_SERVERS";

  /** Comma-separated topic names this service produces to. */
  public static final String KAFKA_PRODUCES = "RAMPART_KAFKA_PRODUCES";

  /** Comma-separated topic names this service consumes. */
  public static final String KAFKA_CONSUMES = "RAMPART_KAFKA_CONSUMES";

  /** Optional SASL/SCRAM credentials (from a Secret). */
  public static final String KAFKA_USERNAME = "RAMPART_KAFKA_USERNAME";

  public static final String KAFKA_PASSWORD = "RAMPART_KAFKA_PASSWORD";

  // --- persistence
  // ----------------------------------------------------------------------------------------
  /**
   * JDBC URL of the journal/offset store. Absent: an in-process H2 database (zero-setup local
   * runs).
   */
  public static final String JDBC_URL = "RAMPART_JDBC_URL";

  public static final String JDBC_USER = "RAMPART_JDBC_USER";
  public static final String JDBC_PASSWORD = "RAMPART_JDBC_PASSWORD";

  // --- carrier
  // --------------------------------------------------------------------------------------------
  /**
   * Shipping: base URL of the parcel carrier's HTTP API ({@code POST <url>/v1/bookings}), direct.
   * Only for tests and runs without a gateway; {@link #egressUrl egressUrl("carrier")} wins. Unset
   * with it: Shipping books locally (a deterministic made-up booking).
   */
  public static final String CARRIER_URL = "RAMPART_CARRIER_URL";

  /** The egress name Shipping books the carrier through ({@code spec.gateway.egress[].name}). */
  public static final String CARRIER_EGRESS = "carrier";

  // --- egress (every service pod)
  // --------------------------------------------------------------------------------
  /**
   * The variable holding the gateway's egress URL of external endpoint {@code name}, e.g. {@code
   * RAMPART_EGRESS_CARRIER_URL} = {@code http://<gateway>:8081/egress/carrier}: the only way a
   * service reaches outside the system. Name upper-cased, {@code -} as {@code _}.
   */
  public static String egressUrl(String name) {
    return EGRESS_URL_PREFIX + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL";
  }

  public static final String EGRESS_URL_PREFIX = "RAMPART_EGRESS_";

  /** {@code RAMPART_EGRESS_CARRIER_URL}: where Shipping books parcels (through the gateway). */
  public static final String EGRESS_CARRIER_URL = "RAMPART_EGRESS_CARRIER_URL";

  // --- gateway
  // --------------------------------------------------------------------------------------------
  /** Gateway routes: comma-separated {@code /path/prefix=service:api} ({@link HttpApi} ids). */
  public static final String GATEWAY_ROUTES = "RAMPART_GATEWAY_ROUTES";

  /** JWKS file path (mounted from a Secret) with the keys that sign accepted JWTs. */
  public static final String JWT_JWKS_PATH = "RAMPART_JWT_JWKS_PATH";

  /**
   * Instead of {@link #JWT_JWKS_PATH}: the issuer's JWKS URL (https), fetched, cached, and fetched
   * again when a token names an unknown key (rate-limited).
   */
  public static final String JWT_JWKS_URI = "RAMPART_JWT_JWKS_URI";

  public static final String JWT_ISSUER = "RAMPART_JWT_ISSUER";
  public static final String JWT_AUDIENCE = "RAMPART_JWT_AUDIENCE";

  /**
   * The audience of partner tokens (same issuer and keys as customers'), accepted only on the
   * carrier.v1 route; default {@link #DEFAULT_JWT_PARTNER_AUDIENCE}.
   */
  public static final String JWT_PARTNER_AUDIENCE = "RAMPART_JWT_PARTNER_AUDIENCE";

  public static final String DEFAULT_JWT_PARTNER_AUDIENCE = "rampart-partners";

  /**
   * The scope a partner token must carry (in its space-separated {@code scope} claim) to post
   * carrier events; default {@link #DEFAULT_JWT_PARTNER_SCOPE}.
   */
  public static final String JWT_PARTNER_SCOPE = "RAMPART_JWT_PARTNER_SCOPE";

  public static final String DEFAULT_JWT_PARTNER_SCOPE = "carrier.events:write";

  /**
   * Accepted JWT {@code typ} headers, comma-separated (default {@code at+jwt,JWT}); the entry
   * {@code none} also accepts tokens without {@code typ}.
   */
  public static final String JWT_TYPES = "RAMPART_JWT_TYPES";

  /**
   * Oldest accepted token by its {@code iat}, in seconds (then {@code iat} is required). Absent: no
   * limit.
   */
  public static final String JWT_MAX_TOKEN_AGE_SECONDS = "RAMPART_JWT_MAX_TOKEN_AGE_SECONDS";

  /** Requests per second per client, and burst. */
  public static final String RATE_LIMIT_RPS = "RAMPART_RATE_LIMIT_RPS";

  public static final String RATE_LIMIT_BURST = "RAMPART_RATE_LIMIT_BURST";

  /** Open WebSocket/SSE streams per token subject at most (more: 429). */
  public static final String STREAMS_PER_SUBJECT = "RAMPART_STREAMS_PER_SUBJECT";

  /** Open WebSocket/SSE streams per gateway pod at most (more: 429). */
  public static final String STREAMS_PER_POD = "RAMPART_STREAMS_PER_POD";

  /**
   * Browser origins allowed by CORS: comma-separated origins, or {@code *}. Absent: no cross-origin
   * access.
   */
  public static final String CORS_ALLOWED_ORIGINS = "RAMPART_CORS_ALLOWED_ORIGINS";

  /**
   * The gateway's egress endpoints: comma-separated {@code name=baseUrl} (name {@link
   * #EGRESS_NAME_PATTERN}, base URL http or https), served on {@link Ports#GATEWAY_EGRESS} as
   * {@code /egress/<name>/<rest>} → {@code <baseUrl>/<rest>}.
   */
  public static final String GATEWAY_EGRESS = "RAMPART_GATEWAY_EGRESS";

  /** The egress listener's port (default {@link Ports#GATEWAY_EGRESS}; local runs, tests). */
  public static final String GATEWAY_EGRESS_PORT = "RAMPART_GATEWAY_EGRESS_PORT";

  public static final String EGRESS_NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /**
   * Directory of the egress endpoints' optional files: {@code <dir>/<name>/ca.crt} (PEM CA bundle
   * trusted for that endpoint's TLS) and {@code <dir>/<name>/authorization} (the whole {@code
   * Authorization} header value sent upstream); default {@link #DEFAULT_GATEWAY_EGRESS_DIR}.
   */
  public static final String GATEWAY_EGRESS_DIR = "RAMPART_GATEWAY_EGRESS_DIR";

  public static final String DEFAULT_GATEWAY_EGRESS_DIR = "/etc/rampart/egress";

  /** Egress files, as named under {@code <dir>/<name>/}. */
  public static final String EGRESS_CA_FILE = "ca.crt";

  public static final String EGRESS_AUTHORIZATION_FILE = "authorization";

  /** {@code false}: the gateway does not serve its web app at {@code /} (default {@code true}). */
  public static final String WEB_APP = "RAMPART_WEB_APP";

  /**
   * Development only: the URL of a token issuer the web app's sign-in posts {@code {"user": id}} to
   * (the local system's, {@code LocalDevTokens}); its origin joins the page's {@code connect-src}.
   * Absent (as in every cluster): the sign-in takes a pasted access token.
   */
  public static final String WEB_DEV_TOKEN_URL = "RAMPART_WEB_DEV_TOKEN_URL";

  // --- logging
  // --------------------------------------------------------------------------------------------
  /** "json" (default in pods) or "text". */
  public static final String LOG_FORMAT = "RAMPART_LOG_FORMAT";

  private Env() {}
}
