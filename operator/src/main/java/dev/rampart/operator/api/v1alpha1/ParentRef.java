package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Gateway API Gateway the gateway's HTTPRoute attaches to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParentRef {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeys.DNS_1123_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Gateway.")
  public String name;

  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Namespace of the Gateway. Absent: the MicroserviceSystem's namespace.")
  public String namespace;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "Listener of the Gateway to attach to. Absent: all listeners that allow the route.")
  public String sectionName;

  public ParentRef() {}
}
