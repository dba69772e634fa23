package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One system of Akka microservices: its services (each an Akka cluster), Kafka topics, gateway and
 * wall of NetworkPolicies. The operator creates and keeps every child object; status says how far
 * it got.
 */
@Group(MicroserviceSystem.GROUP)
@Version(MicroserviceSystem.VERSION)
@Kind("MicroserviceSystem")
@Plural("microservicesystems")
@ShortNames("msys")
@Categories("rampart")
// Columns in the order a user reads them (PrinterColumnOrder keeps this order in the CRD).
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether every part of the system is ready")
@AdditionalPrinterColumn(
    name = "REASON",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Why it is (not) ready, e.g. ProgressDeadlineExceeded, CrashLoopBackOff")
@AdditionalPrinterColumn(
    name = "SERVICES",
    jsonPath = ".status.servicesReady",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Ready services / declared services")
@AdditionalPrinterColumn(
    name = "TOPICS",
    jsonPath = ".status.topicsReady",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Ready topics / declared topics")
@AdditionalPrinterColumn(
    name = "GATEWAY",
    jsonPath = ".status.gateway.url",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "URL of the system's gateway")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "PAUSED",
    jsonPath = ".status.conditions[?(@.type==\"Paused\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "True while the rampart.dev/pause-reconciliation annotation is \"true\"")
@ValidationRule(
    value = "has(self.spec)",
    message = "spec is required: declare at least spec.services")
@ValidationRule(
    value = "self.metadata.name.matches('" + MicroserviceSystem.DNS_1035 + "')",
    message =
        "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with"
            + " a letter): it prefixes the names of the system's Services")
// The limits below follow from the child names (see desired/ChildNames): every name the operator
// derives is a DNS label, at most 63 characters. ChildNamesTest ties the numbers to the code.
@ValidationRule(
    value =
        "!has(self.spec) || self.spec.services.all(s, size(self.metadata.name) + size(s.name) <="
            + " 62)",
    message =
        "metadata.name + spec.services[].name: child objects are named <system>-<service> and must"
            + " fit in 63 characters: shorten the system or service name")
@ValidationRule(
    value = "!has(self.spec) || !has(self.spec.gateway) || size(self.metadata.name) <= 55",
    message =
        "metadata.name: the gateway's objects are named <system>-gateway and must fit in 63"
            + " characters: use a system name of at most 55 characters")
@ValidationRule(
    value =
        "!has(self.spec) || (has(self.spec.networkPolicy) && has(self.spec.networkPolicy.enabled)"
            + " && !self.spec.networkPolicy.enabled) || size(self.metadata.name) <= 54",
    message =
        "metadata.name: the default-deny NetworkPolicy is named <system>-deny-all and must fit in"
            + " 63 characters: use a system name of at most 54 characters")
public class MicroserviceSystem
    extends CustomResource<MicroserviceSystemSpec, MicroserviceSystemStatus> implements Namespaced {
  public static final String GROUP = "rampart.dev";
  public static final String VERSION = "v1alpha1";

  /** The system's name prefixes Service names, which are DNS-1035 labels. */
  public static final String DNS_1035 = ServiceSpec.DNS_1035;

  public MicroserviceSystem() {}

  @Override
  @JsonPropertyDescription(
      "What the system is: its services, Kafka topics, database, gateway and wall. The "
          + "operator creates and keeps every object this needs.")
  public MicroserviceSystemSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: conditions, per-service pods and Akka membership, topics, "
          + "gateway URL. Written only by the operator.")
  public MicroserviceSystemStatus getStatus() {
    return super.getStatus();
  }

  /** The system's name: the prefix of every child object's name. */
  public String name() {
    return getMetadata().getName();
  }

  /** True when the pause annotation is set: the operator then changes nothing. */
  public boolean paused() {
    var annotations = getMetadata().getAnnotations();
    return annotations != null
        && "true".equalsIgnoreCase(annotations.get(dev.rampart.contract.Labels.PAUSE_ANNOTATION));
  }
}
