package dev.rampart.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Entry point of the operator image. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    var settings = OperatorSettings.fromEnv(System.getenv());
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var client = new KubernetesClientBuilder().build();
    var operator = RampartOperator.create(client, settings, registry);
    var http = new OperatorHttpServer(settings.httpPort(), operator, registry);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      http.close();
      client.close();
    }));
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
  }
}
