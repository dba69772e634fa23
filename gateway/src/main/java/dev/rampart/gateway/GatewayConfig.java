package dev.rampart.gateway;

import dev.rampart.contract.Env;
import dev.rampart.contract.HttpApi;
import dev.rampart.contract.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Everything the gateway needs to start, read once from the environment (names from {@link Env}).
 * Tests build it directly. {@link #fromEnv} is pure: it only parses the map it is given.
 */
public record GatewayConfig(
    String httpHost,
    int httpPort,
    RouteTable routes,
    Map<String, String> peerDiscoveryNames,
    Map<String, List<HostPort>> peerEndpoints,
    JwtSettings jwt,
    RateLimit rateLimit,
    List<String> corsAllowedOrigins,
    long maxBodyBytes,
    Deadlines deadlines,
    Breaker breaker,
    KubernetesApi kubernetesApi,
    Partners partners,
    Egress egress,
    WebAppSettings webApp) {

  /** Without partner-token, egress or web-app settings of its own: the defaults, no egress. */
  public GatewayConfig(
      String httpHost,
      int httpPort,
      RouteTable routes,
      Map<String, String> peerDiscoveryNames,
      Map<String, List<HostPort>> peerEndpoints,
      JwtSettings jwt,
      RateLimit rateLimit,
      List<String> corsAllowedOrigins,
      long maxBodyBytes,
      Deadlines deadlines,
      Breaker breaker,
      KubernetesApi kubernetesApi) {
    this(
        httpHost,
        httpPort,
        routes,
        peerDiscoveryNames,
        peerEndpoints,
        jwt,
        rateLimit,
        corsAllowedOrigins,
        maxBodyBytes,
        deadlines,
        breaker,
        kubernetesApi,
        Partners.DEFAULT,
        Egress.NONE,
        WebAppSettings.DEFAULT);
  }

  /** This config with one upstream's endpoints replaced (a test's or a tool's own server). */
  public GatewayConfig withEndpoints(String upstream, List<HostPort> endpoints) {
    return with(
        c -> {
          Map<String, List<HostPort>> all = new LinkedHashMap<>(c.peerEndpoints);
          all.put(upstream, List.copyOf(endpoints));
          c.peerEndpoints = Map.copyOf(all);
        });
  }

  /** A copy with some components changed, e.g. {@code config.with(c -> c.breaker = ...)}. */
  public GatewayConfig with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The components of a config, to change before {@link #build}. */
  public static final class Copy {
    public String httpHost;
    public int httpPort;
    public RouteTable routes;
    public Map<String, String> peerDiscoveryNames;
    public Map<String, List<HostPort>> peerEndpoints;
    public JwtSettings jwt;
    public RateLimit rateLimit;
    public List<String> corsAllowedOrigins;
    public long maxBodyBytes;
    public Deadlines deadlines;
    public Breaker breaker;
    public KubernetesApi kubernetesApi;
    public Partners partners;
    public Egress egress;
    public WebAppSettings webApp;

    private Copy(GatewayConfig of) {
      httpHost = of.httpHost;
      httpPort = of.httpPort;
      routes = of.routes;
      peerDiscoveryNames = of.peerDiscoveryNames;
      peerEndpoints = of.peerEndpoints;
      jwt = of.jwt;
      rateLimit = of.rateLimit;
      corsAllowedOrigins = of.corsAllowedOrigins;
      maxBodyBytes = of.maxBodyBytes;
      deadlines = of.deadlines;
      breaker = of.breaker;
      kubernetesApi = of.kubernetesApi;
      partners = of.partners;
      egress = of.egress;
      webApp = of.webApp;
    }

    private GatewayConfig build() {
      return new GatewayConfig(
          httpHost,
          httpPort,
          routes,
          peerDiscoveryNames,
          peerEndpoints,
          jwt,
          rateLimit,
          corsAllowedOrigins,
          maxBodyBytes,
          deadlines,
          breaker,
          kubernetesApi,
          partners,
          egress,
          webApp);
    }
  }

  /** Where the sample system mounts the two mappings, and the gateway's default without routes. */
  public static final String DEFAULT_ROUTES =
      "/api/users=user:users.v1,/api/orders=order:orders.v1";

  /**
   * The web app at {@code /}: served or not, and the development token issuer its sign-in uses, if
   * any (http only to a loopback address: it is for a local system, never a cluster).
   */
  public record WebAppSettings(boolean enabled, Optional<URI> devTokenUrl) {
    public static final WebAppSettings DEFAULT = new WebAppSettings(true, Optional.empty());

    public WebAppSettings {
      devTokenUrl.ifPresent(WebAppSettings::checkDevTokenUrl);
    }

    static WebAppSettings fromEnv(Map<String, String> env) {
      String enabled = env.getOrDefault(Env.WEB_APP, "true").trim();
      if (!enabled.equals("true") && !enabled.equals("false"))
        throw new IllegalArgumentException(Env.WEB_APP + ": true or false, got '" + enabled + "'");
      return new WebAppSettings(
          enabled.equals("true"),
          Optional.ofNullable(env.get(Env.WEB_DEV_TOKEN_URL))
              .filter(v -> !v.isBlank())
              .map(v -> URI.create(v.trim())));
    }

    /** The issuer's origin, for the page's {@code connect-src}. */
    Optional<String> devTokenOrigin() {
      return devTokenUrl.map(
          u -> u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
    }

    private static void checkDevTokenUrl(URI u) {
      boolean loopback =
          u.getHost() != null
              && (u.getHost().equals("localhost") || u.getHost().matches("127(\\.\\d{1,3}){3}"));
      boolean https = "https".equals(u.getScheme()) && u.getHost() != null;
      if (!https && !("http".equals(u.getScheme()) && loopback))
        throw new IllegalArgumentException(
            Env.WEB_DEV_TOKEN_URL + ": an https URL, or http to a loopback address, got " + u);
      if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null)
        throw new IllegalArgumentException(
            Env.WEB_DEV_TOKEN_URL + ": no user info, query or fragment, got " + u);
    }
  }

  public record HostPort(String host, int port) {
    static HostPort parse(String s) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1)
        throw new IllegalArgumentException("expected host:port, got '" + s + "'");
      return new HostPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
  }

  /**
   * JWT acceptance: keys from a JWKS file, required issuer and audience, bounded clock skew, the
   * accepted {@code typ} headers (RFC 9068 access tokens are {@code at+jwt}; tokens without {@code
   * typ}, e.g. ID tokens, only if {@code acceptUntyped}), and optionally a maximum age by {@code
   * iat}.
   */
  public record JwtSettings(
      Path jwksPath,
      String issuer,
      String audience,
      Duration maxClockSkew,
      List<String> acceptedTypes,
      boolean acceptUntyped,
      Optional<Duration> maxTokenAge,
      Optional<URI> jwksUri) {
    public static final List<String> DEFAULT_TYPES = List.of("at+jwt", "JWT");

    /** Keys from the JWKS file. */
    public JwtSettings(
        Path jwksPath,
        String issuer,
        String audience,
        Duration maxClockSkew,
        List<String> acceptedTypes,
        boolean acceptUntyped,
        Optional<Duration> maxTokenAge) {
      this(
          jwksPath,
          issuer,
          audience,
          maxClockSkew,
          acceptedTypes,
          acceptUntyped,
          maxTokenAge,
          Optional.empty());
    }

    /** The same settings with keys fetched from {@code uri} instead of a file. */
    public JwtSettings withJwksUri(URI uri) {
      return new JwtSettings(
          null,
          issuer,
          audience,
          maxClockSkew,
          acceptedTypes,
          acceptUntyped,
          maxTokenAge,
          Optional.of(uri));
    }

    /** The defaults: at+jwt or JWT, typ required, no age limit. */
    public JwtSettings(Path jwksPath, String issuer, String audience, Duration maxClockSkew) {
      this(jwksPath, issuer, audience, maxClockSkew, DEFAULT_TYPES, false, Optional.empty());
    }

    /** {@code at+jwt,JWT,none}: {@code none} stands for an absent typ. */
    static JwtSettings withTypes(JwtSettings base, String spec, Optional<Duration> maxTokenAge) {
      List<String> types =
          splitList(spec).stream().filter(t -> !t.equalsIgnoreCase(UNTYPED)).toList();
      boolean untyped = splitList(spec).stream().anyMatch(t -> t.equalsIgnoreCase(UNTYPED));
      if (types.isEmpty() && !untyped)
        throw new IllegalArgumentException(Env.JWT_TYPES + " accepts no token type");
      return new JwtSettings(
          base.jwksPath(),
          base.issuer(),
          base.audience(),
          base.maxClockSkew(),
          types,
          untyped,
          maxTokenAge,
          base.jwksUri());
    }

    static final String UNTYPED = "none";
  }

  /**
   * Token bucket per client: sustained requests per second and burst size; and how many streams
   * (WebSocket/SSE) one subject may hold open, since a stream costs a connection here and a gRPC
   * stream upstream for as long as it lives; and how many one pod holds open in all (below its
   * connection limit, so streams cannot take every connection).
   */
  public record RateLimit(
      double requestsPerSecond, int burst, int streamsPerSubject, int streamsPerPod) {
    public static final int DEFAULT_STREAMS_PER_SUBJECT = 8;
    public static final int DEFAULT_STREAMS_PER_POD = 768;

    public RateLimit(double requestsPerSecond, int burst) {
      this(requestsPerSecond, burst, DEFAULT_STREAMS_PER_SUBJECT, DEFAULT_STREAMS_PER_POD);
    }

    public RateLimit {
      if (streamsPerSubject < 1 || streamsPerPod < 1)
        throw new IllegalArgumentException("stream caps must be at least 1");
    }
  }

  /** Per-route gRPC deadlines: reads are short, writes may wait on other services. */
  public record Deadlines(Duration read, Duration write) {
    public Duration longest() {
      return read.compareTo(write) >= 0 ? read : write;
    }
  }

  /**
   * Where kubernetes-api discovery finds its credentials and namespace (for {@link
   * #peerDiscoveryNames}).
   */
  public record KubernetesApi(String tokenPath, String caPath, String namespace) {
    public static final KubernetesApi DEFAULT =
        new KubernetesApi(Env.DEFAULT_TOKEN_PATH, Env.DEFAULT_CA_PATH, "");
  }

  /**
   * Protection per upstream: a circuit breaker (consecutive failures to open it, how long it stays
   * open) and a bulkhead (calls in flight at most; more are answered 503 at once instead of
   * queueing behind a slow upstream).
   */
  public record Breaker(int maxFailures, Duration resetTimeout, int maxInFlight) {}

  /**
   * One route: the HTTP mapping of {@code api}, mounted at {@code prefix}, served by {@code
   * service}.
   */
  public record Route(String prefix, String service, HttpApi api) {
    /** The prefix's path segments, e.g. {@code [shop, orders]}. */
    public List<String> segments() {
      return List.of(prefix.substring(1).split("/"));
    }
  }

  /**
   * {@code /path/prefix=service:api} entries (the api may be left out where the prefix ends in its
   * resource, e.g. {@code /api/orders=order}): which upstream serves which mapping, and where. An
   * API may be absent: its paths then answer 404.
   */
  public record RouteTable(List<Route> routes) {
    public static RouteTable parse(String spec) {
      List<Route> routes = new ArrayList<>();
      for (String entry : splitList(spec)) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1 || !entry.startsWith("/"))
          throw new IllegalArgumentException(
              Env.GATEWAY_ROUTES + ": expected /prefix=service[:api], got '" + entry + "'");
        String prefix = stripTrailingSlash(entry.substring(0, eq).trim());
        String target = entry.substring(eq + 1).trim();
        int colon = target.indexOf(':');
        String service = colon < 0 ? target : target.substring(0, colon);
        String apiId = colon < 0 ? null : target.substring(colon + 1);
        HttpApi api =
            HttpApi.of(apiId, prefix)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            Env.GATEWAY_ROUTES
                                + ": "
                                + prefix
                                + " names no HTTP mapping the gateway publishes (add :"
                                + String.join(
                                    " or :",
                                    Arrays.stream(HttpApi.values()).map(HttpApi::id).toList())
                                + ")"));
        if (HttpApi.hidesGatewayPaths(prefix))
          throw new IllegalArgumentException(
              Env.GATEWAY_ROUTES + ": " + prefix + " would hide the gateway's own paths");
        for (Route other : routes) {
          if (other.api() == api)
            throw new IllegalArgumentException(
                Env.GATEWAY_ROUTES + ": " + api.id() + " is routed twice");
          if (nested(prefix, other.prefix()) || nested(other.prefix(), prefix))
            throw new IllegalArgumentException(
                Env.GATEWAY_ROUTES + ": " + prefix + " and " + other.prefix() + " overlap");
        }
        routes.add(new Route(prefix, service, api));
      }
      return new RouteTable(List.copyOf(routes));
    }

    /** Where {@code api} is mounted, if it is. */
    public Optional<Route> of(HttpApi api) {
      return routes.stream().filter(r -> r.api() == api).findFirst();
    }

    /** For the log: {@code /api/orders -> order (orders.v1)}. */
    @Override
    public String toString() {
      return routes.stream()
          .map(r -> r.prefix() + " -> " + r.service() + " (" + r.api().id() + ")")
          .collect(Collectors.joining(", "));
    }

    private static boolean nested(String path, String under) {
      return path.equals(under) || path.startsWith(under + "/");
    }

    private static String stripTrailingSlash(String p) {
      return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
  }

  /**
   * Partner tokens (a carrier's webhooks): the same issuer and keys as customers', their own
   * audience, and the scope (in the space-separated {@code scope} claim) the carrier.v1 route
   * needs. Only carrier.v1 accepts them; a customer token there is 403, and a partner token
   * elsewhere too.
   */
  public record Partners(String audience, String scope) {
    public static final Partners DEFAULT =
        new Partners(Env.DEFAULT_JWT_PARTNER_AUDIENCE, Env.DEFAULT_JWT_PARTNER_SCOPE);
  }

  /**
   * The external endpoints the gateway forwards to, on its internal listener ({@code port}, {@link
   * Ports#GATEWAY_EGRESS}): {@code /egress/<name>/<rest>} → {@code <baseUrl>/<rest>}, with the
   * optional CA bundle and Authorization value of each under {@code dir/<name>/}.
   */
  public record Egress(Map<String, URI> endpoints, Path dir, int port) {
    public static final Egress NONE =
        new Egress(Map.of(), Path.of(Env.DEFAULT_GATEWAY_EGRESS_DIR), Ports.GATEWAY_EGRESS);
    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile(Env.EGRESS_NAME_PATTERN);

    /** {@code carrier=https://api.carrier.example/v2,maps=http://maps.local}. */
    public static Map<String, URI> parse(String spec) {
      Map<String, URI> m = new LinkedHashMap<>();
      for (String entry : splitList(spec)) {
        int eq = entry.indexOf('=');
        String name = eq < 0 ? "" : entry.substring(0, eq).trim();
        if (!NAME.matcher(name).matches())
          throw new IllegalArgumentException(
              Env.GATEWAY_EGRESS
                  + ": expected name=baseUrl (name "
                  + NAME
                  + "), got '"
                  + entry
                  + "'");
        URI base;
        try {
          base = new URI(entry.substring(eq + 1).trim());
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException(
              Env.GATEWAY_EGRESS + ": " + name + ": " + e.getMessage());
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme()))
            || base.getHost() == null
            || base.getRawQuery() != null
            || base.getRawFragment() != null)
          throw new IllegalArgumentException(
              Env.GATEWAY_EGRESS + ": " + name + " needs an http or https base URL without query");
        if (m.put(name, base) != null)
          throw new IllegalArgumentException(Env.GATEWAY_EGRESS + ": " + name + " twice");
      }
      return Map.copyOf(m);
    }
  }

  public static final Deadlines DEFAULT_DEADLINES =
      new Deadlines(Duration.ofSeconds(2), Duration.ofSeconds(5));
  // open briefly: a rollout's slow moment must not become seconds of 503 for every request
  public static final Breaker DEFAULT_BREAKER = new Breaker(5, Duration.ofSeconds(3), 512);
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

  public static GatewayConfig fromEnv(Map<String, String> env) {
    String host = env.getOrDefault(Env.POD_IP, "0.0.0.0");
    int port = Integer.parseInt(env.getOrDefault(Env.HTTP_PORT, String.valueOf(Ports.HTTP)));
    RouteTable routes = RouteTable.parse(env.getOrDefault(Env.GATEWAY_ROUTES, DEFAULT_ROUTES));
    Optional<URI> jwksUri =
        Optional.ofNullable(env.get(Env.JWT_JWKS_URI))
            .filter(v -> !v.isBlank())
            .map(v -> URI.create(v.trim()));
    if (jwksUri.isPresent() && !env.getOrDefault(Env.JWT_JWKS_PATH, "").isBlank())
      throw new IllegalArgumentException(
          "set " + Env.JWT_JWKS_PATH + " or " + Env.JWT_JWKS_URI + ", not both");
    JwtSettings keys =
        new JwtSettings(
            jwksUri.isPresent() ? null : Path.of(required(env, Env.JWT_JWKS_PATH)),
            required(env, Env.JWT_ISSUER),
            required(env, Env.JWT_AUDIENCE),
            DEFAULT_CLOCK_SKEW);
    JwtSettings jwt =
        JwtSettings.withTypes(
            jwksUri.map(keys::withJwksUri).orElse(keys),
            env.getOrDefault(Env.JWT_TYPES, String.join(",", JwtSettings.DEFAULT_TYPES)),
            Optional.ofNullable(env.get(Env.JWT_MAX_TOKEN_AGE_SECONDS))
                .filter(v -> !v.isBlank())
                .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
                .filter(d -> !d.isZero() && !d.isNegative()));
    RateLimit rateLimit =
        new RateLimit(
            Double.parseDouble(env.getOrDefault(Env.RATE_LIMIT_RPS, "50")),
            Integer.parseInt(env.getOrDefault(Env.RATE_LIMIT_BURST, "100")),
            Integer.parseInt(
                env.getOrDefault(
                    Env.STREAMS_PER_SUBJECT,
                    String.valueOf(RateLimit.DEFAULT_STREAMS_PER_SUBJECT))),
            Integer.parseInt(
                env.getOrDefault(
                    Env.STREAMS_PER_POD, String.valueOf(RateLimit.DEFAULT_STREAMS_PER_POD))));
    return new GatewayConfig(
        host,
        port,
        routes,
        parsePeers(env.getOrDefault(Env.PEERS, "")),
        parsePeerEndpoints(env.getOrDefault(Env.PEER_ENDPOINTS, "")),
        jwt,
        rateLimit,
        splitList(env.getOrDefault(Env.CORS_ALLOWED_ORIGINS, "")),
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_DEADLINES,
        DEFAULT_BREAKER,
        new KubernetesApi(
            env.getOrDefault(Env.KUBERNETES_TOKEN_PATH, Env.DEFAULT_TOKEN_PATH),
            env.getOrDefault(Env.KUBERNETES_CA_PATH, Env.DEFAULT_CA_PATH),
            env.getOrDefault(Env.POD_NAMESPACE, "")),
        new Partners(
            env.getOrDefault(Env.JWT_PARTNER_AUDIENCE, Env.DEFAULT_JWT_PARTNER_AUDIENCE),
            env.getOrDefault(Env.JWT_PARTNER_SCOPE, Env.DEFAULT_JWT_PARTNER_SCOPE)),
        new Egress(
            Egress.parse(env.getOrDefault(Env.GATEWAY_EGRESS, "")),
            Path.of(env.getOrDefault(Env.GATEWAY_EGRESS_DIR, Env.DEFAULT_GATEWAY_EGRESS_DIR)),
            Integer.parseInt(
                env.getOrDefault(Env.GATEWAY_EGRESS_PORT, String.valueOf(Ports.GATEWAY_EGRESS)))),
        WebAppSettings.fromEnv(env));
  }

  /** {@code user=shop-user,order=shop-order}. */
  static Map<String, String> parsePeers(String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String entry : splitList(spec)) {
      String[] kv = entry.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank())
        throw new IllegalArgumentException(
            Env.PEERS + ": expected service=discoveryName, got '" + entry + "'");
      m.put(kv[0].trim(), kv[1].trim());
    }
    return Map.copyOf(m);
  }

  /** {@code user=127.0.0.2:8101|127.0.0.3:8101,order=127.0.0.4:8101}. */
  static Map<String, List<HostPort>> parsePeerEndpoints(String spec) {
    Map<String, List<HostPort>> m = new LinkedHashMap<>();
    for (String entry : splitList(spec)) {
      String[] kv = entry.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank())
        throw new IllegalArgumentException(
            Env.PEER_ENDPOINTS + ": expected service=host:port|host:port, got '" + entry + "'");
      List<HostPort> endpoints = new ArrayList<>();
      for (String hp : kv[1].split("\\|")) endpoints.add(HostPort.parse(hp.trim()));
      m.put(kv[0].trim(), List.copyOf(endpoints));
    }
    return Map.copyOf(m);
  }

  static List<String> splitList(String spec) {
    List<String> out = new ArrayList<>();
    for (String s : spec.split(",")) if (!s.isBlank()) out.add(s.trim());
    return List.copyOf(out);
  }

  private static String required(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name))
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () -> new IllegalArgumentException("environment variable " + name + " is required"));
  }
}
