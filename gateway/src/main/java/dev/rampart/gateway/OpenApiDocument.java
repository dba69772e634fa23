package dev.rampart.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.contract.HttpApi;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI document as this gateway serves it: the template's paths, written for each mapping at
 * {@code /api/<resource>}, moved to the prefix the routes mount it at, and left out where no route
 * mounts it. Pure.
 */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiDocument() {}

  static String render(String template, GatewayConfig.RouteTable routes) {
    try {
      ObjectNode doc = (ObjectNode) JSON.readTree(template);
      ObjectNode paths = (ObjectNode) doc.get("paths");
      ObjectNode rendered = JSON.createObjectNode();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      paths.fields().forEachRemaining(entries::add);
      for (var e : entries) {
        mounted(e.getKey(), routes).ifPresent(path -> rendered.set(path, e.getValue()));
      }
      doc.set("paths", rendered);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the gateway's OpenAPI template is not JSON", e);
    }
  }

  /** Where a template path is served, if at all. */
  private static Optional<String> mounted(String path, GatewayConfig.RouteTable routes) {
    for (HttpApi api : HttpApi.values()) {
      String templatePrefix = "/api/" + api.resource();
      if (path.equals(templatePrefix) || path.startsWith(templatePrefix + "/")) {
        return routes.of(api).map(r -> r.prefix() + path.substring(templatePrefix.length()));
      }
    }
    return Optional.of(path);
  }
}
