package dev.rampart.crds;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the third-party CRDs that the tests and the local system install, from the model libraries
 * the operator itself uses, into the directory given as the only argument:
 *
 * <ul>
 *   <li>Strimzi's KafkaTopic, Kafka and KafkaNodePool as Strimzi defines them in {@link Crds}
 *       (io.strimzi:api): its names, versions and status subresource, with an open body. The
 *       fabric8 generator would type KafkaTopic's {@code config} values as objects and refuse
 *       {@code "2"}.
 *   <li>The Gateway API's v1 GatewayClass, Gateway, HTTPRoute and GRPCRoute, by the fabric8 CRD
 *       generator over fabric8's Gateway API model, with the approval annotation the API server
 *       demands of a {@code *.k8s.io} group.
 * </ul>
 */
public final class ThirdPartyCrds {
  /** The annotation the released Gateway API CRDs carry: the group's API review. */
  static final String API_APPROVED = "api-approved.kubernetes.io";

  static final String GATEWAY_API_REVIEW =
      "https://github.com/kubernetes-sigs/gateway-api/pull/1538";

  private ThirdPartyCrds() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    writeStrimzi(out, Crds.kafkaTopic());
    writeStrimzi(out, Crds.kafka());
    writeStrimzi(
        out, Crds.kafkaNodePool()); // the kind e2e's one-node pool (run-kind-e2e.sh --check)
    new CRDGenerator()
        .customResourceClasses(GatewayClass.class, Gateway.class, HTTPRoute.class, GRPCRoute.class)
        .withPostProcessor(new ApprovedGroup())
        .inOutputDir(out.toFile())
        .generate();
  }

  private static void writeStrimzi(Path dir, CustomResourceDefinition crd) throws IOException {
    Files.writeString(dir.resolve(crd.getMetadata().getName() + ".yml"), Serialization.asYaml(crd));
  }

  private static final class ApprovedGroup implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      crd.getMetadata().getAnnotations().put(API_APPROVED, GATEWAY_API_REVIEW);
      return crd;
    }
  }
}
