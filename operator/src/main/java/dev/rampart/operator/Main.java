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
    String bindHost = System.getenv().getOrDefault(dev.rampart.contract.Env.POD_IP, "0.0.0.0");
    var http = new OperatorHttpServer(bindHost, settings.httpPort(), operator, registry);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  http.close();
                  client.close();
                }));
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
  }
}
