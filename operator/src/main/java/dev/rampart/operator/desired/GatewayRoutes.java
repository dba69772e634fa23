package dev.rampart.operator.desired;

import dev.rampart.contract.HttpApi;
import dev.rampart.contract.Labels;
import dev.rampart.operator.api.v1alpha1.GatewayRoute;
import dev.rampart.operator.api.v1alpha1.GatewaySpec;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.ParentRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * How the outside reaches the gateway: a Gateway API HTTPRoute, or an Ingress where the cluster has
 * no Gateway API. Both send every served path prefix, and the OpenAPI document's path, to the
 * gateway's Service; the gateway maps prefixes to services. Fields the API server would default are
 * written out, so the server-side-apply comparison sees no drift.
 */
public final class GatewayRoutes {
  public static final String HTTP_ROUTE = "HTTPRoute";
  public static final String INGRESS = "Ingress";

  /**
   * The gateway's OpenAPI document, routed from outside beside the API's prefixes (as are the web
   * app's page and assets, {@link HttpApi#WEB_APP_PAGE} and {@link HttpApi#WEB_ASSETS_PREFIX}).
   */
  public static final String OPENAPI_PATH = HttpApi.OPENAPI_PATH;

  private GatewayRoutes() {}

  public static String name(MicroserviceSystem system) {
    return Labels.resourceName(system.name(), Labels.GATEWAY_SERVICE_NAME);
  }

  public static HTTPRoute httpRoute(MicroserviceSystem system, GatewaySpec gateway) {
    List<HTTPRouteMatch> matches = new ArrayList<>();
    for (GatewayRoute r : ServedRoutes.of(gateway).served())
      matches.add(httpMatch("PathPrefix", r.pathPrefix));
    matches.add(httpMatch("Exact", OPENAPI_PATH));
    matches.add(httpMatch("Exact", HttpApi.WEB_APP_PAGE));
    matches.add(httpMatch("PathPrefix", HttpApi.WEB_ASSETS_PREFIX));
    return new HTTPRouteBuilder()
        .withMetadata(
            ChildMetadata.forComponent(
                system, Labels.GATEWAY_SERVICE_NAME, Labels.COMPONENT_GATEWAY))
        .withNewSpec()
        .withParentRefs(
            gateway.parentRefList().stream().map(GatewayRoutes::parentReference).toList())
        .withHostnames(gateway.hostnames)
        .addNewRule()
        .withMatches(matches)
        .withBackendRefs(
            new HTTPBackendRefBuilder()
                .withGroup("")
                .withKind("Service")
                .withName(name(system))
                .withPort(gateway.servicePortOrDefault())
                .withWeight(1)
                .build())
        .endRule()
        .endSpec()
        .build();
  }

  private static HTTPRouteMatch httpMatch(String type, String path) {
    return new HTTPRouteMatchBuilder()
        .withNewPath()
        .withType(type)
        .withValue(path)
        .endPath()
        .build();
  }

  private static ParentReference parentReference(ParentRef ref) {
    return new ParentReferenceBuilder()
        .withGroup("gateway.networking.k8s.io")
        .withKind("Gateway")
        .withName(ref.name)
        .withNamespace(ref.namespace)
        .withSectionName(ref.sectionName)
        .build();
  }

  public static Ingress ingress(MicroserviceSystem system, GatewaySpec gateway) {
    List<HTTPIngressPath> paths = new ArrayList<>();
    for (GatewayRoute r : ServedRoutes.of(gateway).served())
      paths.add(ingressPath(system, gateway, "Prefix", r.pathPrefix));
    paths.add(ingressPath(system, gateway, "Exact", OPENAPI_PATH));
    paths.add(ingressPath(system, gateway, "Exact", HttpApi.WEB_APP_PAGE));
    paths.add(ingressPath(system, gateway, "Prefix", HttpApi.WEB_ASSETS_PREFIX));
    List<IngressRule> rules =
        gateway.hostnameList().isEmpty()
            ? List.of(new IngressRuleBuilder().withNewHttp().withPaths(paths).endHttp().build())
            : gateway.hostnameList().stream()
                .map(
                    h ->
                        new IngressRuleBuilder()
                            .withHost(h)
                            .withNewHttp()
                            .withPaths(paths)
                            .endHttp()
                            .build())
                .toList();
    var builder =
        new IngressBuilder()
            .withMetadata(
                ChildMetadata.forComponent(
                    system, Labels.GATEWAY_SERVICE_NAME, Labels.COMPONENT_GATEWAY))
            .withNewSpec()
            .withIngressClassName(gateway.ingressClassName)
            .withRules(rules)
            .endSpec();
    gateway
        .tlsSpec()
        .ifPresent(
            tls ->
                builder
                    .editSpec()
                    .withTls(
                        new IngressTLSBuilder()
                            .withHosts(gateway.hostnames)
                            .withSecretName(tls.secretName)
                            .build())
                    .endSpec());
    return builder.build();
  }

  private static HTTPIngressPath ingressPath(
      MicroserviceSystem system, GatewaySpec gateway, String type, String path) {
    return new HTTPIngressPathBuilder()
        .withPath(path)
        .withPathType(type)
        .withNewBackend()
        .withNewService()
        .withName(name(system))
        .withNewPort()
        .withNumber(gateway.servicePortOrDefault())
        .endPort()
        .endService()
        .endBackend()
        .build();
  }

  /** Where clients reach the system. */
  public static String url(MicroserviceSystem system, GatewaySpec gateway) {
    if (gateway.hostnameList().isEmpty()) {
      return "http://"
          + name(system)
          + "."
          + system.getMetadata().getNamespace()
          + ".svc:"
          + gateway.servicePortOrDefault();
    }
    return (gateway.tlsSpec().isPresent() ? "https://" : "http://") + gateway.hostnameList().get(0);
  }
}
