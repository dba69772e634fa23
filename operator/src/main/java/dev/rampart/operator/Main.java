package dev.rampart.operator;

import dev.rampart.contract.Localhost;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/** Entry point of the operator image. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    var settings = OperatorSettings.fromEnv(System.getenv());
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var client = new KubernetesClientBuilder().build();
    var operator = RampartOperator.create(client, settings, registry);
    var hosts =
        new java.util.ArrayList<>(
            List.of(System.getenv().getOrDefault(dev.rampart.contract.Env.POD_IP, "0.0.0.0")));
    Localhost.extraBind(System.getenv()).ifPresent(hosts::add);
    var http = new OperatorHttpServer(hosts, settings.httpPort(), operator, registry);
    // One hook, in order (the JVM runs separate hooks concurrently): stop() lets in-flight
    // reconciles finish (RampartOperator.RECONCILE_TERMINATION), then the probes go, then the
    // client.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    operator.stop();
                  } finally {
                    http.close();
                    client.close();
                  }
                },
                "rampart-operator-shutdown"));
    operator.start();
  }
}
