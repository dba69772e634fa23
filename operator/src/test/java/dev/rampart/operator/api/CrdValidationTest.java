package dev.rampart.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.TopicDeletionPolicy;
import dev.rampart.operator.testing.Namespaces;
import dev.rampart.operator.testing.OperatorControlPlane;
import dev.rampart.operator.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's schema and CEL rules, enforced by a real kube-apiserver: each bad resource is rejected
 * with a message that names the field and the rule; good resources come back as written (plus
 * declared defaults). No operator runs here: a rejected resource is never stored, so it cannot
 * reach a reconciler.
 */
class CrdValidationTest {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final String BASE =
      """
      apiVersion: rampart.dev/v1alpha1
      kind: MicroserviceSystem
      metadata: {name: shop}
      spec:
        kafka:
          cluster: my-cluster
          bootstrapServers: kafka:9092
          topics: [{name: order-events}, {name: order-events-public}]
        persistence:
          jdbc: {url: "jdbc:postgresql://db:5432/shop", credentialsSecret: {name: shop-db}}
        services:
          - {name: order, image: "ghcr.io/rampart/order-service:0.1.0", produces: [order-events], calls: [user]}
          - {name: user, image: "ghcr.io/rampart/user-service:0.1.0", consumes: [order-events]}
        gateway:
          hostnames: [shop.example.com]
          routes: [{pathPrefix: /api/orders, service: order}]
          auth: {issuer: "https://id.example.com/", audience: shop, jwksSecretRef: {name: shop-jwks}}
          rateLimit: {requestsPerSecond: 10, burst: 20}
          streams: {perSubject: 4, perPod: 2000}
          corsAllowedOrigins: ["https://shop.example.com", "http://localhost:3000"]
      """;

  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void apiServer() {
    client = OperatorControlPlane.shared().client();
    namespace = Namespaces.create(client, "validation");
  }

  record Bad(String why, Consumer<ObjectNode> mutation, String expected) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Bad> badResources() {
    List<Bad> cases = new ArrayList<>();
    cases.add(
        new Bad(
            "service name with capitals",
            set("spec.services[0].name", "Order"),
            "spec.services[0].name in body should match '^[a-z]([-a-z0-9]*[a-z0-9])?$'"));
    cases.add(
        new Bad(
            "service name starting with a digit",
            set("spec.services[0].name", "1order"),
            "spec.services[0].name in body should match"));
    cases.add(
        new Bad(
            "service name ending with a dash",
            set("spec.services[1].name", "user-"),
            "spec.services[1].name in body should match"));
    cases.add(
        new Bad(
            "service name longer than 30",
            set("spec.services[1].name", "u".repeat(31)),
            "spec.services[1].name: Too long: may not be more than 30 bytes"));
    cases.add(
        new Bad(
            "empty service name",
            set("spec.services[1].name", ""),
            "spec.services[1].name in body should be at least 1 chars long"));
    cases.add(new Bad("no services", remove("spec.services"), "spec.services: Required value"));
    cases.add(
        new Bad(
            "empty services",
            setJson("spec.services", "[]"),
            "spec.services in body should have at least 1 items"));
    cases.add(
        new Bad(
            "more than 32 services",
            spec -> {
              ArrayNode services = (ArrayNode) node(spec, "spec.services");
              for (int i = 0; i < 31; i++) {
                services.add(YAML.createObjectNode().put("name", "s" + i).put("image", "img"));
              }
            },
            "spec.services: Too many: 33: must have at most 32 items"));
    cases.add(
        new Bad(
            "duplicate service names",
            set("spec.services[1].name", "order"),
            // a map list keyed by name: the API server itself names the duplicate entry
            "spec.services[1]: Duplicate value: {\"name\":\"order\"}"));
    cases.add(
        new Bad(
            "zero replicas",
            setJson("spec.services[0].replicas", "0"),
            "spec.services[0].replicas in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "negative replicas",
            setJson("spec.services[0].replicas", "-2"),
            "spec.services[0].replicas in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "too many replicas",
            setJson("spec.services[0].replicas", "101"),
            "spec.services[0].replicas in body should be less than or equal to 100"));
    cases.add(
        new Bad(
            "replicas as text",
            set("spec.services[0].replicas", "three"),
            "spec.services[0].replicas in body must be of type integer"));
    cases.add(
        new Bad(
            "no image",
            remove("spec.services[0].image"),
            "spec.services[0].image: Required value"));
    cases.add(
        new Bad(
            "image with a space",
            set("spec.services[0].image", "order service"),
            "spec.services[0].image in body should match"));
    cases.add(
        new Bad(
            "unknown pull policy",
            set("spec.services[0].imagePullPolicy", "Sometimes"),
            "spec.services[0].imagePullPolicy in body should match"));
    cases.add(
        new Bad(
            "produces an undeclared topic",
            setJson("spec.services[0].produces", "[\"payments\"]"),
            "spec.services[].produces: every topic a service produces must be declared in"
                + " spec.kafka.topics"));
    cases.add(
        new Bad(
            "consumes an undeclared topic",
            setJson("spec.services[1].consumes", "[\"payments\"]"),
            "spec.services[].consumes: every topic a service consumes must be declared in"
                + " spec.kafka.topics"));
    cases.add(
        new Bad(
            "produces with no kafka at all",
            remove("spec.kafka"),
            "spec.services[].produces: every topic a service produces must be declared in"
                + " spec.kafka.topics"));
    cases.add(
        new Bad(
            "calls an undeclared service",
            setJson("spec.services[0].calls", "[\"billing\"]"),
            "spec.services[].calls: every called service must be declared in spec.services"));
    cases.add(
        new Bad(
            "a service calling itself",
            setJson("spec.services[0].calls", "[\"order\"]"),
            "spec.services[].calls: service order cannot call itself"));
    cases.add(
        new Bad(
            "a service named gateway",
            spec -> {
              ((ObjectNode) node(spec, "spec.services[1]")).put("name", "gateway");
              ((ObjectNode) node(spec, "spec.services[1]")).remove("consumes");
            },
            "spec.services[].name: 'gateway' is reserved for the system's gateway"));
    cases.add(
        new Bad(
            "duplicate topic names",
            set("spec.kafka.topics[1].name", "order-events"),
            "spec.kafka.topics[1]: Duplicate value: {\"name\":\"order-events\"}"));
    cases.add(
        new Bad(
            "topic name with capitals",
            set("spec.kafka.topics[1].name", "Order_Events"),
            "spec.kafka.topics[1].name in body should match"));
    cases.add(
        new Bad(
            "zero partitions",
            setJson("spec.kafka.topics[0].partitions", "0"),
            "spec.kafka.topics[0].partitions in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "too many partitions",
            setJson("spec.kafka.topics[0].partitions", "10001"),
            "spec.kafka.topics[0].partitions in body should be less than or equal to 10000"));
    cases.add(
        new Bad(
            "zero topic replicas",
            setJson("spec.kafka.topics[0].replicas", "0"),
            "spec.kafka.topics[0].replicas in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "no kafka cluster",
            remove("spec.kafka.cluster"),
            "spec.kafka.cluster: Required value"));
    cases.add(
        new Bad(
            "bootstrap servers without a port",
            set("spec.kafka.bootstrapServers", "kafka"),
            "spec.kafka.bootstrapServers in body should match"));
    cases.add(
        new Bad(
            "JDBC URL that is not JDBC",
            set("spec.persistence.jdbc.url", "postgres://db/shop"),
            "spec.persistence.jdbc.url in body should match"));
    cases.add(
        new Bad(
            "JDBC without credentials",
            remove("spec.persistence.jdbc.credentialsSecret"),
            "spec.persistence.jdbc.credentialsSecret: Required value"));
    cases.add(
        new Bad(
            "credentials Secret with an invalid name",
            set("spec.persistence.jdbc.credentialsSecret.name", "Shop DB"),
            "spec.persistence.jdbc.credentialsSecret.name in body should match"));
    cases.add(
        new Bad(
            "gateway without routes",
            remove("spec.gateway.routes"),
            "spec.gateway.routes: Required value"));
    cases.add(
        new Bad(
            "gateway route to an undeclared service",
            set("spec.gateway.routes[0].service", "billing"),
            "spec.gateway.routes: every route must name a service declared in spec.services"));
    cases.add(
        new Bad(
            "route path without leading slash",
            set("spec.gateway.routes[0].pathPrefix", "api/orders"),
            "spec.gateway.routes[0].pathPrefix in body should match"));
    cases.add(
        new Bad(
            "duplicate route prefixes",
            setJson(
                "spec.gateway.routes",
                "[{\"pathPrefix\":\"/api/orders\",\"service\":\"order\"},"
                    + "{\"pathPrefix\":\"/api/orders\",\"service\":\"user\"}]"),
            "spec.gateway.routes[1]: Duplicate value: {\"pathPrefix\":\"/api/orders\"}"));
    cases.add(
        new Bad(
            "route prefix with a trailing slash",
            set("spec.gateway.routes[0].pathPrefix", "/api/orders/"),
            "spec.gateway.routes[0].pathPrefix in body should match"));
    cases.add(
        new Bad(
            "route prefix with a dot-dot segment",
            set("spec.gateway.routes[0].pathPrefix", "/api/../orders"),
            "spec.gateway.routes[0].pathPrefix in body should match"));
    cases.add(
        new Bad(
            "route to an API the gateway does not publish",
            set("spec.gateway.routes[0].api", "carts.v1"),
            "spec.gateway.routes[0].api in body should match"));
    cases.add(
        new Bad(
            "route whose API is neither named nor in its prefix",
            set("spec.gateway.routes[0].pathPrefix", "/shop/carts"),
            "spec.gateway.routes[].api: set users.v1, orders.v1 or carrier.v1 where the prefix does"
                + " not end in /users, /orders or /carrier"));
    cases.add(
        new Bad(
            "route over one of the gateway's own paths",
            setJson(
                "spec.gateway.routes",
                "[{\"pathPrefix\":\"/metrics\",\"service\":\"order\",\"api\":\"orders.v1\"}]"),
            "spec.gateway.routes[].pathPrefix: /healthz, /readyz, /metrics, /openapi.json and the"
                + " web app's /app are the gateway's own"));
    cases.add(
        new Bad(
            "route over the web app's assets",
            setJson(
                "spec.gateway.routes", "[{\"pathPrefix\":\"/app/orders\",\"service\":\"order\"}]"),
            "spec.gateway.routes[].pathPrefix: /healthz, /readyz, /metrics, /openapi.json and the"
                + " web app's /app are the gateway's own"));
    cases.add(
        new Bad(
            "one API routed twice",
            setJson(
                "spec.gateway.routes",
                "[{\"pathPrefix\":\"/api/orders\",\"service\":\"order\"},"
                    + "{\"pathPrefix\":\"/v2/shop\",\"service\":\"order\",\"api\":\"orders.v1\"}]"),
            "spec.gateway.routes: each API (users.v1, orders.v1, carrier.v1) may be routed only"
                + " once"));
    cases.add(
        new Bad(
            "a route prefix under another",
            setJson(
                "spec.gateway.routes",
                "[{\"pathPrefix\":\"/api/orders\",\"service\":\"order\"},"
                    + "{\"pathPrefix\":\"/api/orders/people\",\"service\":\"user\",\"api\":\"users.v1\"}]"),
            "spec.gateway.routes: no prefix may lie under another"));
    cases.add(
        new Bad(
            "zero gateway replicas",
            setJson("spec.gateway.replicas", "0"),
            "spec.gateway.replicas in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "gateway port out of range",
            setJson("spec.gateway.servicePort", "70000"),
            "spec.gateway.servicePort in body should be less than or equal to 65535"));
    cases.add(
        new Bad(
            "invalid host name",
            setJson("spec.gateway.hostnames", "[\"Shop_Example\"]"),
            "spec.gateway.hostnames[0] in body should match"));
    cases.add(
        new Bad(
            "gateway without auth",
            remove("spec.gateway.auth"),
            "spec.gateway.auth is required: the gateway only starts with a JWT issuer, audience and"
                + " JWKS Secret"));
    cases.add(
        new Bad(
            "issuer that is not a URL",
            set("spec.gateway.auth.issuer", "id.example.com"),
            "spec.gateway.auth.issuer in body should match"));
    cases.add(
        new Bad(
            "issuer with a space",
            set("spec.gateway.auth.issuer", "https://id.example.com/ x"),
            "spec.gateway.auth.issuer in body should match"));
    cases.add(
        new Bad(
            "no issuer",
            remove("spec.gateway.auth.issuer"),
            "spec.gateway.auth.issuer: Required value"));
    cases.add(
        new Bad(
            "no audience",
            remove("spec.gateway.auth.audience"),
            "spec.gateway.auth.audience: Required value"));
    cases.add(
        new Bad(
            "empty audience",
            set("spec.gateway.auth.audience", ""),
            "spec.gateway.auth.audience in body should be at least 1 chars long"));
    cases.add(
        new Bad(
            "no JWKS Secret",
            remove("spec.gateway.auth.jwksSecretRef"),
            "spec.gateway.auth: exactly one of jwksSecretRef and jwksUri"));
    cases.add(
        new Bad(
            "both a JWKS Secret and a JWKS URL",
            set("spec.gateway.auth.jwksUri", "https://id.example.com/jwks.json"),
            "spec.gateway.auth: exactly one of jwksSecretRef and jwksUri"));
    cases.add(
        new Bad(
            "a JWKS URL over plain http",
            setJson(
                "spec.gateway.auth",
                "{\"issuer\":\"https://id.example.com/\",\"audience\":\"shop\","
                    + "\"jwksUri\":\"http://id.example.com/jwks.json\"}"),
            "spec.gateway.auth.jwksUri in body should match"));
    cases.add(
        new Bad(
            "JWKS Secret without a name",
            setJson("spec.gateway.auth.jwksSecretRef", "{\"key\":\"k\"}"),
            "spec.gateway.auth.jwksSecretRef.name: Required value"));
    cases.add(
        new Bad(
            "JWKS Secret with an invalid name",
            set("spec.gateway.auth.jwksSecretRef.name", "Shop JWKS"),
            "spec.gateway.auth.jwksSecretRef.name in body should match"));
    cases.add(
        new Bad(
            "JWKS key with a slash",
            setJson(
                "spec.gateway.auth.jwksSecretRef",
                "{\"name\":\"shop-jwks\",\"key\":\"keys/jwks.json\"}"),
            "spec.gateway.auth.jwksSecretRef.key in body should match"));
    cases.add(
        new Bad(
            "zero requests per second",
            setJson("spec.gateway.rateLimit.requestsPerSecond", "0"),
            "spec.gateway.rateLimit.requestsPerSecond in body should be greater than or equal to"
                + " 1"));
    cases.add(
        new Bad(
            "zero burst",
            setJson("spec.gateway.rateLimit", "{\"requestsPerSecond\":1,\"burst\":0}"),
            "spec.gateway.rateLimit.burst in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "rate limit without burst",
            remove("spec.gateway.rateLimit.burst"),
            "spec.gateway.rateLimit.burst: Required value"));
    cases.add(
        new Bad(
            "burst below requests per second",
            setJson("spec.gateway.rateLimit.burst", "5"),
            "spec.gateway.rateLimit: burst must be at least requestsPerSecond"));
    cases.add(
        new Bad(
            "zero streams per subject",
            setJson("spec.gateway.streams.perSubject", "0"),
            "spec.gateway.streams.perSubject in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "more streams per subject than the maximum",
            setJson("spec.gateway.streams.perSubject", "1001"),
            "spec.gateway.streams.perSubject in body should be less than or equal to 1000"));
    cases.add(
        new Bad(
            "zero streams per pod",
            setJson("spec.gateway.streams", "{\"perPod\":0}"),
            "spec.gateway.streams.perPod in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "more streams per pod than the maximum",
            setJson("spec.gateway.streams.perPod", "100001"),
            "spec.gateway.streams.perPod in body should be less than or equal to 100000"));
    cases.add(
        new Bad(
            "CORS origin with a path",
            setJson("spec.gateway.corsAllowedOrigins", "[\"https://shop.example.com/app\"]"),
            "spec.gateway.corsAllowedOrigins[0] in body should match"));
    cases.add(
        new Bad(
            "CORS origin without a scheme",
            setJson(
                "spec.gateway.corsAllowedOrigins",
                "[\"https://a.example.com\", \"shop.example.com\"]"),
            "spec.gateway.corsAllowedOrigins[1] in body should match"));
    cases.add(
        new Bad(
            "CORS '*' next to an origin",
            setJson("spec.gateway.corsAllowedOrigins", "[\"*\", \"https://shop.example.com\"]"),
            "spec.gateway.corsAllowedOrigins: '*' allows every origin and must be the only entry"));
    cases.add(
        new Bad(
            "API server port 0",
            setJson("spec.networkPolicy", "{\"apiServerPorts\":[0]}"),
            "spec.networkPolicy.apiServerPorts[0] in body should be greater than or equal to 1"));
    cases.add(
        new Bad(
            "an empty metrics peer (would admit every pod)",
            setJson("spec.networkPolicy", "{\"allowMetricsFrom\":[{}]}"),
            "spec.networkPolicy.allowMetricsFrom[]: set namespaceSelector, podSelector or both"));
    cases.add(
        new Bad(
            "env overriding an operator variable",
            setJson("spec.services[0].env", "[{\"name\":\"RAMPART_SYSTEM\",\"value\":\"x\"}]"),
            "spec.services[].env: names starting with RAMPART_ and POD_IP, POD_NAME, POD_NAMESPACE"
                + " are set by the operator"));
    cases.add(
        new Bad(
            "pod label in the operator's namespace",
            setJson("spec.services[0].template", "{\"labels\":{\"rampart.dev/service\":\"x\"}}"),
            "template.labels: keys under app.kubernetes.io/ and rampart.dev/ are set by the"
                + " operator"));
    cases.add(
        new Bad(
            "system + service name longer than 63",
            spec -> {
              ((ObjectNode) spec.get("metadata")).put("name", "s".repeat(40));
              ((ObjectNode) node(spec, "spec.services[1]")).put("name", "u".repeat(25));
              ((ObjectNode) node(spec, "spec.services[0]")).remove("calls");
            },
            "child objects are named <system>-<service> and must fit in 63 characters"));
    cases.add(
        new Bad(
            "envFrom secretRef without a name",
            setJson("spec.services[0].envFrom", "[{\"secretRef\":{}}]"),
            "spec.services[].envFrom[]: secretRef and configMapRef need a name"));
    cases.add(
        new Bad(
            "envFrom configMapRef without a name",
            setJson("spec.services[0].envFrom", "[{\"configMapRef\":{\"optional\":true}}]"),
            "spec.services[].envFrom[]: secretRef and configMapRef need a name"));
    cases.add(
        new Bad(
            "envFrom entry with neither configMapRef nor secretRef",
            setJson("spec.services[0].envFrom", "[{\"prefix\":\"X_\"}]"),
            "spec.services[].envFrom[]: each entry needs exactly one of configMapRef or"
                + " secretRef"));
    cases.add(
        new Bad(
            "envFrom entry with both configMapRef and secretRef",
            setJson(
                "spec.services[0].envFrom",
                "[{\"configMapRef\":{\"name\":\"a\"},\"secretRef\":{\"name\":\"b\"}}]"),
            "spec.services[].envFrom[]: each entry needs exactly one of configMapRef or"
                + " secretRef"));
    cases.add(
        new Bad(
            "secretKeyRef without a name",
            setJson(
                "spec.services[0].env",
                "[{\"name\":\"K\",\"valueFrom\":{\"secretKeyRef\":{\"key\":\"k\"}}}]"),
            "spec.services[].env[].valueFrom.secretKeyRef needs a name and a key"));
    cases.add(
        new Bad(
            "secretKeyRef without a key",
            setJson(
                "spec.services[0].env",
                "[{\"name\":\"K\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\"}}}]"),
            "spec.services[].env[].valueFrom.secretKeyRef needs a name and a key"));
    cases.add(
        new Bad(
            "configMapKeyRef without a name",
            setJson(
                "spec.services[0].env",
                "[{\"name\":\"K\",\"valueFrom\":{\"configMapKeyRef\":{\"key\":\"k\"}}}]"),
            "spec.services[].env[].valueFrom.configMapKeyRef needs a name and a key"));
    cases.add(
        new Bad(
            "a service named deny-all",
            spec ->
                ((ArrayNode) node(spec, "spec.services"))
                    .add(YAML.createObjectNode().put("name", "deny-all").put("image", "img")),
            "spec.services[].name: 'deny-all' is reserved: <system>-deny-all is the system's"
                + " default-deny NetworkPolicy"));
    cases.add(
        new Bad(
            "57-character system name with a gateway",
            spec -> ((ObjectNode) spec.get("metadata")).put("name", "s".repeat(57)),
            "metadata.name: the gateway's objects are named <system>-gateway and must fit in 63"
                + " characters"));
    cases.add(
        new Bad(
            "55-character system name with the wall",
            spec -> {
              ((ObjectNode) spec.get("metadata")).put("name", "s".repeat(55));
              ((ObjectNode) spec.get("spec")).remove("gateway");
            },
            "metadata.name: the default-deny NetworkPolicy is named <system>-deny-all and must fit"
                + " in 63 characters"));
    cases.add(
        new Bad(
            "system name starting with a digit",
            spec -> ((ObjectNode) spec.get("metadata")).put("name", "1shop"),
            "metadata.name must be a DNS-1035 label"));
    cases.add(
        new Bad(
            "system name with a dot",
            spec -> ((ObjectNode) spec.get("metadata")).put("name", "shop.v2"),
            "metadata.name must be a DNS-1035 label"));
    cases.add(
        new Bad(
            "bootstrap port above 65535",
            set("spec.kafka.bootstrapServers", "k:99999"),
            "spec.kafka.bootstrapServers: every port must be between 1 and 65535"));
    cases.add(
        new Bad(
            "bootstrap port 0 after a good one",
            set("spec.kafka.bootstrapServers", "a:9092,b:0"),
            "spec.kafka.bootstrapServers: every port must be between 1 and 65535"));
    cases.add(
        new Bad(
            "unknown topic deletion policy",
            set("spec.kafka.topics[0].deletionPolicy", "Keep"),
            "spec.kafka.topics[0].deletionPolicy: Unsupported value: \"Keep\""));
    cases.add(
        new Bad(
            "replicas together with autoscaling",
            spec -> {
              setJson("spec.services[1].autoscaling", "{\"maxReplicas\":5}").accept(spec);
              ((ObjectNode) node(spec, "spec.services[1]")).put("replicas", 3);
            },
            "spec.services[]: set either replicas or autoscaling, not both"));
    cases.add(
        new Bad(
            "autoscaling minReplicas above maxReplicas",
            setJson("spec.services[1].autoscaling", "{\"minReplicas\":4,\"maxReplicas\":3}"),
            "spec.services[].autoscaling: minReplicas must not be greater than maxReplicas"));
    cases.add(
        new Bad(
            "autoscaling without maxReplicas",
            setJson("spec.services[1].autoscaling", "{\"minReplicas\":2}"),
            "spec.services[1].autoscaling.maxReplicas: Required value"));
    cases.add(
        new Bad(
            "egress name not a DNS label",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"Carrier_1\",\"baseUrl\":\"https://c.example\"}]"),
            "spec.gateway.egress[0].name: Invalid value: \"Carrier_1\""));
    cases.add(
        new Bad(
            "egress name repeated",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"https://a.example\"},"
                    + "{\"name\":\"carrier\",\"baseUrl\":\"https://b.example\"}]"),
            "spec.gateway.egress[1]: Duplicate value: {\"name\":\"carrier\"}"));
    cases.add(
        new Bad(
            "egress baseUrl with userinfo",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"https://me:pw@c.example/v1\"}]"),
            "spec.gateway.egress[0].baseUrl: Invalid value: \"https://me:pw@c.example/v1\""));
    cases.add(
        new Bad(
            "egress baseUrl with a fragment",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"https://c.example/v1#x\"}]"),
            "spec.gateway.egress[0].baseUrl: Invalid value: \"https://c.example/v1#x\""));
    cases.add(
        new Bad(
            "egress baseUrl not http(s)",
            setJson(
                "spec.gateway.egress", "[{\"name\":\"carrier\",\"baseUrl\":\"ftp://c.example\"}]"),
            "spec.gateway.egress[0].baseUrl: Invalid value: \"ftp://c.example\""));
    cases.add(
        new Bad(
            "egress baseUrl port above 65535",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"http://c.example:70000\"}]"),
            "spec.gateway.egress[].baseUrl: the port must be 1-65535"));
    cases.add(
        new Bad(
            "egress CA with an http baseUrl",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"http://c.example\","
                    + "\"caSecretRef\":{\"name\":\"ca\",\"key\":\"ca.crt\"}}]"),
            "spec.gateway.egress[].caSecretRef: a CA is only used with an https baseUrl"));
    cases.add(
        new Bad(
            "egress credentials without a key",
            setJson(
                "spec.gateway.egress",
                "[{\"name\":\"carrier\",\"baseUrl\":\"https://c.example\","
                    + "\"credentialsSecretRef\":{\"name\":\"api\"}}]"),
            "spec.gateway.egress[0].credentialsSecretRef.key: Required value"));
    cases.add(
        new Bad(
            "more than 8 egress endpoints",
            spec -> {
              var list = YAML.createArrayNode();
              for (int i = 0; i < 9; i++) {
                list.add(
                    YAML.createObjectNode()
                        .put("name", "e" + i)
                        .put("baseUrl", "https://e.example"));
              }
              ((ObjectNode) node(spec, "spec.gateway")).set("egress", list);
            },
            "spec.gateway.egress: Too many: 9: must have at most 8 items"));
    cases.add(
        new Bad(
            "gateway servicePort 8081 beside egress",
            spec -> {
              setJson(
                      "spec.gateway.egress",
                      "[{\"name\":\"carrier\",\"baseUrl\":\"https://c.example\"}]")
                  .accept(spec);
              ((ObjectNode) node(spec, "spec.gateway")).put("servicePort", 8081);
            },
            "spec.gateway.servicePort: 8081 is the gateway Service's internal egress port when"
                + " spec.gateway.egress is declared"));
    cases.add(
        new Bad(
            "partner scope with a space",
            set("spec.gateway.auth.partnerScope", "carrier.events:write extra"),
            "spec.gateway.auth.partnerScope: Invalid value: \"carrier.events:write extra\""));
    cases.add(
        new Bad(
            "no spec",
            spec -> spec.remove("spec"),
            "spec is required: declare at least spec.services"));
    return cases.stream();
  }

  /**
   * Every CEL rule of the CRD generated from the model is broken by at least one bad resource or
   * bad update (the rule's message is what that case expects): a rule added without a case fails
   * here.
   */
  @Test
  void everyCelRuleOfTheCrdIsBrokenByABadResource() throws Exception {
    JsonNode crd =
        YAML.readTree(
            Path.of(System.getProperty("rampart.crd.generated"))
                .resolve(CrdIsUpToDateTest.FILE)
                .toFile());
    List<String> ruleMessages = new ArrayList<>();
    collectRuleMessages(crd, ruleMessages);
    assertThat(ruleMessages).as("CEL rules in the CRD").hasSizeGreaterThan(10);
    List<String> expected =
        Stream.concat(badResources().map(Bad::expected), badUpdates().map(BadUpdate::expected))
            .toList();
    assertThat(ruleMessages)
        .allSatisfy(
            message ->
                assertThat(expected)
                    .as("a bad resource breaking the rule \"" + message + "\"")
                    .anyMatch(e -> message.contains(e) || e.startsWith(message)));
  }

  /** The rule's message, or the leading literal of its messageExpression. */
  private static String ruleMessage(JsonNode rule) {
    if (rule.has("message")) {
      return rule.get("message").asText();
    }
    String expression = rule.path("messageExpression").asText();
    return expression.substring(1, expression.indexOf('\'', 1));
  }

  private static void collectRuleMessages(JsonNode node, List<String> messages) {
    if (node.isArray()) {
      node.forEach(child -> collectRuleMessages(child, messages));
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              field -> {
                if (field.getKey().equals("x-kubernetes-validations")) {
                  field.getValue().forEach(rule -> messages.add(ruleMessage(rule)));
                } else {
                  collectRuleMessages(field.getValue(), messages);
                }
              });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badResources")
  void rejectsBadResourceWithAClearMessage(Bad bad) throws Exception {
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    bad.mutation().accept(resource);
    var generic = YAML.treeToValue(resource, GenericKubernetesResource.class);
    try {
      assertThatThrownBy(() -> client.resource(generic).inNamespace(namespace).create())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
          .satisfies(
              e ->
                  assertThat(((KubernetesClientException) e).getStatus().getMessage())
                      .contains(bad.expected()));
      assertThat(
              client.resources(MicroserviceSystem.class).inNamespace(namespace).list().getItems())
          .isEmpty();
    } finally {
      // one wrongly accepted resource must not fail the cases after it
      client.resources(MicroserviceSystem.class).inNamespace(namespace).delete();
    }
  }

  record BadUpdate(String why, Consumer<ObjectNode> change, String expected) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<BadUpdate> badUpdates() {
    return Stream.of(
        new BadUpdate(
            "partitions decreased",
            setJson("spec.kafka.topics[0].partitions", "6"),
            "spec.kafka.topics[].partitions cannot decrease: Kafka cannot remove partitions from a"
                + " topic"),
        new BadUpdate(
            "replicas changed",
            setJson("spec.kafka.topics[1].replicas", "1"),
            "spec.kafka.topics[].replicas cannot change"),
        new BadUpdate(
            "kafka cluster changed while topics exist",
            set("spec.kafka.cluster", "other-cluster"),
            "spec.kafka.cluster cannot change while topics are declared"));
  }

  /** Transition rules (oldSelf): checked on UPDATE against the stored object. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badUpdates")
  void rejectsBadUpdateWithAClearMessage(BadUpdate bad) throws Exception {
    String ns = Namespaces.create(client, "update");
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    setJson("spec.kafka.topics[0].partitions", "12").accept(resource);
    client
        .resource(YAML.treeToValue(resource, GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
    var stored =
        client
            .genericKubernetesResources("rampart.dev/v1alpha1", "MicroserviceSystem")
            .inNamespace(ns)
            .withName("shop")
            .get();
    ObjectNode updated = YAML.valueToTree(stored);
    bad.change().accept(updated);
    assertThatThrownBy(
            () ->
                client
                    .resource(YAML.treeToValue(updated, GenericKubernetesResource.class))
                    .inNamespace(ns)
                    .update())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .satisfies(
            e ->
                assertThat(((KubernetesClientException) e).getStatus().getMessage())
                    .contains(bad.expected()));
  }

  @Test
  void allowsGrowingPartitionsAndMovingAClusterWithoutTopics() throws Exception {
    String ns = Namespaces.create(client, "update-ok");
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    client
        .resource(YAML.treeToValue(resource, GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
    var systems =
        client
            .genericKubernetesResources("rampart.dev/v1alpha1", "MicroserviceSystem")
            .inNamespace(ns);

    ObjectNode grown = YAML.valueToTree(systems.withName("shop").get());
    setJson("spec.kafka.topics[0].partitions", "12").accept(grown);
    setJson("spec.kafka.topics[0].deletionPolicy", "\"Delete\"").accept(grown);
    systems.resource(YAML.treeToValue(grown, GenericKubernetesResource.class)).update();

    // topics removed (the services stop using them) in one update, the cluster moved in the next
    ObjectNode withoutTopics = YAML.valueToTree(systems.withName("shop").get());
    ((ObjectNode) node(withoutTopics, "spec.kafka")).remove("topics");
    node(withoutTopics, "spec.services")
        .forEach(sv -> ((ObjectNode) sv).remove(List.of("produces", "consumes")));
    systems.resource(YAML.treeToValue(withoutTopics, GenericKubernetesResource.class)).update();
    ObjectNode moved = YAML.valueToTree(systems.withName("shop").get());
    set("spec.kafka.cluster", "other-cluster").accept(moved);
    systems.resource(YAML.treeToValue(moved, GenericKubernetesResource.class)).update();

    assertThat(systems.withName("shop").get().get("spec", "kafka", "cluster").toString())
        .isEqualTo("other-cluster");
  }

  /**
   * Services, topics and routes are map lists: server-side apply merges them per entry, so a second
   * field manager (a scaler, a GitOps overlay) can own one entry's field without taking the list.
   * With an atomic list the scaler's apply conflicts with the owner's, and a forced one replaces
   * the whole list.
   */
  @Test
  void serverSideApplyMergesServicesTopicsAndRoutesPerEntry() throws Exception {
    String ns = Namespaces.create(client, "ssa");
    var systems =
        client
            .genericKubernetesResources("rampart.dev/v1alpha1", "MicroserviceSystem")
            .inNamespace(ns);
    ObjectNode owner = (ObjectNode) YAML.readTree(BASE);
    systems
        .resource(YAML.treeToValue(owner, GenericKubernetesResource.class))
        .fieldManager("owner")
        .serverSideApply();

    var scaler =
        YAML.readValue(
            """
            apiVersion: rampart.dev/v1alpha1
            kind: MicroserviceSystem
            metadata: {name: shop}
            spec:
              services: [{name: order, replicas: 5}]
              kafka: {topics: [{name: order-events, partitions: 12}]}
              gateway: {routes: [{pathPrefix: /api/users, service: user}]}
            """,
            GenericKubernetesResource.class);
    // no conflict: the scaler's fields are not the owner's
    systems.resource(scaler).fieldManager("scaler").serverSideApply();

    // the owner applies its document again, changing another entry: the scaler's fields stay
    setJson("spec.services[1].replicas", "2").accept(owner);
    systems
        .resource(YAML.treeToValue(owner, GenericKubernetesResource.class))
        .fieldManager("owner")
        .serverSideApply();

    JsonNode spec = YAML.valueToTree(systems.withName("shop").get().getAdditionalProperties());
    spec = spec.get("spec");
    assertThat(spec.at("/services/0/name").asText()).isEqualTo("order");
    assertThat(spec.at("/services/0/image").asText())
        .isEqualTo("ghcr.io/rampart/order-service:0.1.0");
    assertThat(spec.at("/services/0/replicas").asInt()).isEqualTo(5);
    assertThat(spec.at("/services/1/name").asText()).isEqualTo("user");
    assertThat(spec.at("/services/1/replicas").asInt()).isEqualTo(2);
    assertThat(spec.at("/kafka/topics").findValuesAsText("name"))
        .containsExactly("order-events", "order-events-public");
    assertThat(spec.at("/kafka/topics/0/partitions").asInt()).isEqualTo(12);
    assertThat(spec.at("/gateway/routes").findValuesAsText("pathPrefix"))
        .containsExactly("/api/orders", "/api/users");
  }

  @Test
  void kubectlExplainShowsTheDescriptions() {
    String explained =
        OperatorControlPlane.shared().kubectl("explain", "microservicesystem.spec.services.calls");
    assertThat(explained.replaceAll("\\s+", " "))
        .contains(
            "Services of this system this one calls over gRPC. Each must be declared in"
                + " spec.services");
    assertThat(
            OperatorControlPlane.shared().kubectl("explain", "msys.spec.kafka.topics.partitions"))
        .contains("Number of partitions, 1 to 10000. Default 3.");
    assertThat(
            OperatorControlPlane.shared()
                .kubectl("explain", "msys.spec.gateway.auth")
                .replaceAll("\\s+", " "))
        .contains("Required: the bearer JWTs the gateway accepts")
        .contains("jwksSecretRef");
  }

  @Test
  void baseResourceIsValid() throws Exception {
    var generic = YAML.treeToValue(YAML.readTree(BASE), GenericKubernetesResource.class);
    generic.getMetadata().setName("base");
    client.resource(generic).inNamespace(namespace).create();
    client.resource(generic).inNamespace(namespace).delete();
  }

  @Test
  void egressEndpointsAndPartnerTokensAreValid() throws Exception {
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    setJson(
            "spec.gateway.egress",
            "[{\"name\":\"carrier\",\"baseUrl\":\"https://api.carrier.example:8443/v2/\","
                + "\"caSecretRef\":{\"name\":\"carrier-ca\",\"key\":\"ca.crt\"},"
                + "\"credentialsSecretRef\":{\"name\":\"carrier-api\",\"key\":\"authorization\"}},"
                + "{\"name\":\"geo-maps\",\"baseUrl\":\"http://10.0.0.7:9000\"}]")
        .accept(resource);
    set("spec.gateway.auth.partnerAudience", "shop-partners").accept(resource);
    set("spec.gateway.auth.partnerScope", "carrier.events:write").accept(resource);
    var generic = YAML.treeToValue(resource, GenericKubernetesResource.class);
    generic.getMetadata().setName("egress");
    client.resource(generic).inNamespace(namespace).create();
    var stored =
        client.resources(MicroserviceSystem.class).inNamespace(namespace).withName("egress").get();
    assertThat(stored.getSpec().gateway.egressList())
        .extracting(e -> e.name + "=" + e.baseUrl + ":" + e.port())
        .containsExactly(
            "carrier=https://api.carrier.example:8443/v2/:8443",
            "geo-maps=http://10.0.0.7:9000:9000");
    assertThat(stored.getSpec().gateway.auth.partnerAudience).isEqualTo("shop-partners");
    client.resource(generic).inNamespace(namespace).delete();
  }

  @Test
  void aJwksUrlInsteadOfASecretIsValid() throws Exception {
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    setJson(
            "spec.gateway.auth",
            "{\"issuer\":\"https://id.example.com/\",\"audience\":\"shop\","
                + "\"jwksUri\":\"https://id.example.com/jwks.json\"}")
        .accept(resource);
    var generic = YAML.treeToValue(resource, GenericKubernetesResource.class);
    generic.getMetadata().setName("remote-jwks");
    client.resource(generic).inNamespace(namespace).create();
    var stored =
        client
            .resources(MicroserviceSystem.class)
            .inNamespace(namespace)
            .withName("remote-jwks")
            .get();
    assertThat(stored.getSpec().gateway.auth.jwksUri).isEqualTo("https://id.example.com/jwks.json");
    assertThat(stored.getSpec().gateway.auth.jwksSecretRef).isNull();
    client.resource(generic).inNamespace(namespace).delete();
  }

  @Test
  void autoscalingWithoutReplicasIsValid() throws Exception {
    ObjectNode resource = (ObjectNode) YAML.readTree(BASE);
    setJson(
            "spec.services[1].autoscaling",
            "{\"minReplicas\":2,\"maxReplicas\":2,\"targetCPUUtilizationPercentage\":60}")
        .accept(resource);
    var generic = YAML.treeToValue(resource, GenericKubernetesResource.class);
    generic.getMetadata().setName("autoscaled");
    client.resource(generic).inNamespace(namespace).create();
    var stored =
        client
            .resources(MicroserviceSystem.class)
            .inNamespace(namespace)
            .withName("autoscaled")
            .get();
    assertThat(stored.getSpec().services.get(1).replicas).isNull();
    assertThat(stored.getSpec().services.get(1).autoscaling.maxReplicas).isEqualTo(2);
    client.resource(generic).inNamespace(namespace).delete();
  }

  @Test
  void sampleRoundTripsUnchangedExceptDeclaredDefaults() throws Exception {
    String ns = Namespaces.create(client, "roundtrip");
    var sample = Samples.shop(ns);
    var created = client.resource(sample).create();
    JsonNode written = YAML.readTree(Samples.shopYaml()).get("spec");
    JsonNode stored =
        YAML.valueToTree(
            client
                .resources(MicroserviceSystem.class)
                .inNamespace(ns)
                .withName(created.getMetadata().getName())
                .get()
                .getSpec());
    assertContains(stored, written, "spec");
    // the declared defaults the sample leaves out
    assertThat(stored.at("/gateway/servicePort").asInt()).isEqualTo(80);
    assertThat(stored.at("/persistence/jdbc/credentialsSecret/usernameKey").asText())
        .isEqualTo("username");
    assertThat(stored.at("/persistence/jdbc/credentialsSecret/passwordKey").asText())
        .isEqualTo("password");
    assertThat(stored.at("/gateway/auth/jwksSecretRef/key").asText()).isEqualTo("jwks.json");
  }

  @Test
  void minimalSystemGetsDefaults() throws Exception {
    String ns = Namespaces.create(client, "minimal");
    var minimal =
        YAML.readValue(
            """
            apiVersion: rampart.dev/v1alpha1
            kind: MicroserviceSystem
            metadata: {name: tiny}
            spec:
              services: [{name: echo, image: echo:1}]
              gateway:
                routes: [{pathPrefix: /echo, service: echo, api: orders.v1}]
                auth: {issuer: "http://id.local", audience: echo, jwksSecretRef: {name: echo-jwks}}
                rateLimit: {requestsPerSecond: 1, burst: 1}
                corsAllowedOrigins: ["*"]
              kafka: {cluster: c, bootstrapServers: "k:9092", topics: [{name: t}]}
            """,
            MicroserviceSystem.class);
    client.resource(minimal).inNamespace(ns).create();
    var stored =
        client.resources(MicroserviceSystem.class).inNamespace(ns).withName("tiny").get().getSpec();
    // no schema default for replicas (it would clash with autoscaling); the operator's is 3
    assertThat(stored.services.get(0).replicas).isNull();
    assertThat(stored.services.get(0).replicasOrDefault()).isEqualTo(3);
    assertThat(stored.gateway.replicas).isEqualTo(2);
    assertThat(stored.gateway.image).isEqualTo("ghcr.io/rampart/gateway:0.1.0");
    assertThat(stored.gateway.auth.jwksSecretRef.key).isEqualTo("jwks.json");
    assertThat(stored.gateway.corsAllowedOrigins).containsExactly("*");
    assertThat(stored.kafka.topics.get(0).partitions).isEqualTo(3);
    assertThat(stored.kafka.topics.get(0).replicas).isEqualTo(3);
    assertThat(stored.kafka.topics.get(0).deletionPolicy).isEqualTo(TopicDeletionPolicy.Retain);
  }

  /** Every field written is stored with the same value. */
  private static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isObject()) {
      expected
          .fields()
          .forEachRemaining(
              e -> {
                assertThat(actual.has(e.getKey()))
                    .as(path + "." + e.getKey() + " present")
                    .isTrue();
                assertContains(actual.get(e.getKey()), e.getValue(), path + "." + e.getKey());
              });
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path + " size").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
    }
  }

  // --- mutations of the base resource, addressed by paths like spec.services[0].name ---

  private static Consumer<ObjectNode> set(String path, String value) {
    return root -> parent(root, path).set(last(path), YAML.getNodeFactory().textNode(value));
  }

  private static Consumer<ObjectNode> setJson(String path, String json) {
    return root -> {
      try {
        parent(root, path).set(last(path), YAML.readTree(json));
      } catch (Exception e) {
        throw new IllegalArgumentException(json, e);
      }
    };
  }

  private static Consumer<ObjectNode> remove(String path) {
    return root -> parent(root, path).remove(last(path));
  }

  private static ObjectNode parent(ObjectNode root, String path) {
    int dot = path.lastIndexOf('.');
    return (ObjectNode) node(root, path.substring(0, dot));
  }

  private static String last(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static JsonNode node(JsonNode root, String path) {
    JsonNode current = root;
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      if (bracket < 0) {
        current = current.get(part);
      } else {
        current =
            current
                .get(part.substring(0, bracket))
                .get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
    }
    return current;
  }
}
