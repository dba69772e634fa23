package dev.rampart.operator.testing;

import dev.rampart.operator.OperatorSettings;
import dev.rampart.operator.RampartOperator;
import dev.rampart.testing.kube.LocalControlPlane;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The real operator (JOSDK, all dependents) running in the test JVM against a local API server. */
public final class RunningOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final Operator operator;
  private final SimpleMeterRegistry registry;

  private RunningOperator(
      KubernetesClient client, Operator operator, SimpleMeterRegistry registry) {
    this.client = client;
    this.operator = operator;
    this.registry = registry;
  }

  public static RunningOperator start(LocalControlPlane plane) {
    return start(plane, OperatorSettings.allNamespacesNoElection(0));
  }

  public static RunningOperator start(LocalControlPlane plane, OperatorSettings settings) {
    KubernetesClient client = newClient(plane);
    var registry = new SimpleMeterRegistry();
    var operator = RampartOperator.create(client, settings, registry);
    operator.start();
    return new RunningOperator(client, operator, registry);
  }

  /** A client of its own, so stopping the operator never closes the test's client. */
  public static KubernetesClient newClient(LocalControlPlane plane) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(plane.kubeconfig())))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    try {
      operator.stop();
    } finally {
      client.close();
    }
  }
}
