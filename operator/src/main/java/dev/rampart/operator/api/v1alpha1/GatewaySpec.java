package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.rampart.contract.Images;
import dev.rampart.operator.api.MapList;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Optional;

/**
 * The gateway: HTTP/JSON and WebSocket/SSE in, gRPC to the services. Exposed through a Gateway API
 * HTTPRoute when the Gateway API is installed in the cluster, otherwise through an Ingress.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.auth)",
    message =
        "spec.gateway.auth is required: the gateway only starts with a JWT issuer, audience and"
            + " JWKS Secret")
@ValidationRule(
    value =
        "!has(self.corsAllowedOrigins) || !self.corsAllowedOrigins.exists(o, o == '*') "
            + "|| self.corsAllowedOrigins.size() == 1",
    message = "spec.gateway.corsAllowedOrigins: '*' allows every origin and must be the only entry")
@ValidationRule(
    value =
        "!has(self.routes) || ['users.v1', 'orders.v1', 'carrier.v1'].all(api,"
            + " self.routes.filter(r, (has(r.api) ? r.api : (r.pathPrefix.endsWith('/users') ?"
            + " 'users.v1' : 'orders.v1')) == api).size() <= 1)",
    message =
        "spec.gateway.routes: each API (users.v1, orders.v1, carrier.v1) may be routed only once")
@ValidationRule(
    value =
        "!has(self.routes) || self.routes.all(a, "
            + "!self.routes.exists(b, b.pathPrefix.startsWith(a.pathPrefix + '/')))",
    message =
        "spec.gateway.routes: no prefix may lie under another (which one would serve the path?)")
@ValidationRule(
    value = "!has(self.egress) || !has(self.servicePort) || self.servicePort != 8081",
    message =
        "spec.gateway.servicePort: 8081 is the gateway Service's internal egress port when"
            + " spec.gateway.egress is declared")
public class GatewaySpec {
  public static final String DEFAULT_IMAGE = Images.GATEWAY + ":0.1.0";

  /** An origin as browsers send it (scheme://host[:port], no path), or '*'. */
  public static final String ORIGIN = "^(\\*|https?://[^\\s/,]+)$";

  public static final String HOSTNAME =
      "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @Default(DEFAULT_IMAGE)
  @Size(min = 1, max = 512)
  @Pattern("^\\S+$")
  @JsonPropertyDescription("Container image of the gateway. Default " + DEFAULT_IMAGE + ".")
  public String image;

  @Default("2")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Number of gateway pods, at least 1. Default 2.")
  public Integer replicas;

  @Default("80")
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port of the gateway's ClusterIP Service (the pods listen on 8080). Default 80.")
  public Integer servicePort;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Host names the route answers for. The first one makes up status.gateway.url.")
  public List<@Size(max = 253) @Pattern(HOSTNAME) String> hostnames;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Gateway API Gateways the HTTPRoute attaches to. Ignored when the cluster has no "
          + "Gateway API (an Ingress is created instead).")
  public List<ParentRef> parentRefs;

  @JsonPropertyDescription(
      "Ingress class of the fallback Ingress (when the cluster has no Gateway API).")
  public String ingressClassName;

  @JsonPropertyDescription("TLS for the fallback Ingress; also makes status.gateway.url https.")
  public GatewayTls tls;

  @Required
  @Size(min = 1, max = 8)
  @JsonPropertyDescription(
      "Where the gateway serves each of its HTTP mappings, and the service behind it. Every"
          + " service must be declared in spec.services; only routed services accept traffic from"
          + " the gateway. A mapping no route names is not served; /openapi.json lists the"
          + " routed paths.")
  @MapList(keys = "pathPrefix")
  public List<GatewayRoute> routes;

  @JsonPropertyDescription("CPU and memory requests and limits of the gateway container.")
  public ResourceRequirements resources;

  // required through the CEL rule above, not the schema: the API server skips CEL rules (and their
  // clearer
  // message) when the schema already rejects the object
  @JsonPropertyDescription(
      "Required: the bearer JWTs the gateway accepts (issuer, audience, and the Secret with "
          + "the JWKS). The gateway does not start without them.")
  public GatewayAuth auth;

  @JsonPropertyDescription(
      "Rate limit per client. Absent: the gateway's defaults (50 requests per second, burst "
          + "100).")
  public GatewayRateLimit rateLimit;

  @JsonPropertyDescription(
      "Caps on open WebSocket/SSE streams, per token subject and per pod. Absent: the gateway's"
          + " defaults (8 per subject, 768 per pod).")
  public GatewayStreams streams;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Browser origins allowed to call the API cross-origin (CORS), e.g. https://shop.example.com, "
          + "or a single '*' for any. Absent: no cross-origin access.")
  public List<@Size(min = 1, max = 300) @Pattern(ORIGIN) String> corsAllowedOrigins;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Endpoints outside the system (e.g. a parcel carrier's API) that services reach only"
          + " through the gateway: it forwards /egress/<name>/... on its internal port 8081"
          + " (Service port 'egress', which only the system's service pods may reach and no"
          + " route exposes) to <baseUrl>/...; each service pod gets"
          + " RAMPART_EGRESS_<NAME>_URL=http://<system>-gateway:8081/egress/<name>. Names are"
          + " unique.")
  @MapList(keys = "name")
  public List<GatewayEgress> egress;

  public GatewaySpec() {}

  public String imageOrDefault() {
    return image == null ? DEFAULT_IMAGE : image;
  }

  public int replicasOrDefault() {
    return replicas == null ? 2 : replicas;
  }

  public int servicePortOrDefault() {
    return servicePort == null ? 80 : servicePort;
  }

  public List<String> hostnameList() {
    return hostnames == null ? List.of() : hostnames;
  }

  public List<ParentRef> parentRefList() {
    return parentRefs == null ? List.of() : parentRefs;
  }

  public List<GatewayRoute> routeList() {
    return routes == null ? List.of() : routes;
  }

  public List<GatewayEgress> egressList() {
    return egress == null ? List.of() : egress;
  }

  public List<String> corsAllowedOriginList() {
    return corsAllowedOrigins == null ? List.of() : corsAllowedOrigins;
  }

  public Optional<GatewayRateLimit> rateLimitSpec() {
    return Optional.ofNullable(rateLimit);
  }

  public Optional<GatewayStreams> streamsSpec() {
    return Optional.ofNullable(streams);
  }

  public Optional<GatewayTls> tlsSpec() {
    return Optional.ofNullable(tls);
  }
}
