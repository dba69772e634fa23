package dev.rampart.operator;

import dev.rampart.operator.reconciler.MicroserviceSystemReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Wires JOSDK: the MicroserviceSystem controller, metrics, leader election and watched namespaces.
 */
public final class RampartOperator {
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  private RampartOperator() {}

  public static Operator create(
      KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
    var operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build())
                  .withCloseClientOnStop(false);
              settings
                  .leaseNamespace()
                  .ifPresent(
                      ns ->
                          o.withLeaderElectionConfiguration(
                              new LeaderElectionConfiguration(
                                  OperatorSettings.LEASE_NAME,
                                  ns,
                                  LEASE_DURATION,
                                  RENEW_DEADLINE,
                                  RETRY_PERIOD,
                                  settings.identity(),
                                  null,
                                  settings.exitOnLostLease())));
            });
    operator.register(
        new MicroserviceSystemReconciler(),
        c -> {
          if (settings.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.namespaces());
          }
        });
    return operator;
  }
}
