package dev.rampart.operator;

import dev.rampart.operator.reconciler.MicroserviceSystemReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires JOSDK: the MicroserviceSystem controller, metrics, leader election and watched namespaces.
 */
public final class RampartOperator {
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  /**
   * How long stop() waits for in-flight reconciles (within the chart's termination grace period).
   */
  static final Duration RECONCILE_TERMINATION = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(RampartOperator.class);

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
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION);
              if (!settings.exitOnFatalError()) {
                // JOSDK's default handler calls System.exit(1) when a synced informer stops: right
                // for
                // the operator's pod (it restarts), fatal to a test JVM whose API server went away.
                o.withInformerStoppedHandler(
                    (informer, cause) -> {
                      if (cause != null) {
                        LOG.warn("informer stopped: {}", informer.getApiTypeClass(), cause);
                      } else {
                        LOG.debug("informer stopped: {}", informer.getApiTypeClass());
                      }
                    });
              }
              settings
                  .leaseNamespace()
                  .ifPresent(
                      ns ->
                          o.withLeaderElectionConfiguration(
                              new LeaderElectionConfiguration(
                                  settings.leaseName(),
                                  ns,
                                  LEASE_DURATION,
                                  RENEW_DEADLINE,
                                  RETRY_PERIOD,
                                  settings.identity(),
                                  null,
                                  settings.exitOnFatalError())));
            });
    operator.register(
        new MicroserviceSystemReconciler(registry),
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
