package dev.rampart.operator.testing;

import dev.rampart.testing.RepoPaths;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real kube-apiserver + etcd for the operator's tests, with this repo's CRD and the real Strimzi
 * KafkaTopic and Gateway API CRDs installed. One shared instance per test JVM (tests use their own
 * namespaces); tests that need another shape (no Gateway API, kube-controller-manager) start their
 * own with {@link #start(boolean, boolean)}.
 */
public final class OperatorControlPlane {
  private static LocalControlPlane shared;

  private OperatorControlPlane() {}

  public static synchronized LocalControlPlane shared() {
    if (shared == null) {
      shared = start(true, false);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  public static LocalControlPlane start(boolean gatewayApi, boolean controllerManager) {
    var builder = LocalControlPlane.builder();
    if (controllerManager) {
      builder.withControllerManager();
    }
    var plane = builder.start();
    try {
      installCrds(plane.client(), crds(gatewayApi));
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  /**
   * Server-side applies the CRDs and waits until each is Established.
   * (LocalControlPlane.installCrds does the same but trips over a CRD whose status has no
   * conditions yet.)
   */
  public static void installCrds(KubernetesClient client, List<Path> files) {
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (var item : client.load(in).items()) {
          if (item instanceof CustomResourceDefinition crd) {
            crd.getMetadata().setResourceVersion(null);
            client.resource(crd).fieldManager("rampart-tests").forceConflicts().serverSideApply();
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .waitUntilCondition(OperatorControlPlane::established, 60, TimeUnit.SECONDS);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRDs from " + file, e);
      }
    }
  }

  /** Deletes the CRDs in the files (the API server deletes their objects with them). */
  public static void deleteCrds(KubernetesClient client, List<Path> files) {
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (var item : client.load(in).items()) {
          if (item instanceof CustomResourceDefinition crd) {
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .delete();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRDs from " + file, e);
      }
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static List<Path> crds(boolean gatewayApi) {
    List<Path> files = new ArrayList<>();
    files.add(RepoPaths.crds().resolve("microservicesystems.rampart.dev-v1.yml"));
    files.add(RepoPaths.thirdPartyCrd("kafkatopics.kafka.strimzi.io"));
    if (gatewayApi) {
      files.addAll(RepoPaths.gatewayApiCrds());
    }
    return files;
  }
}
