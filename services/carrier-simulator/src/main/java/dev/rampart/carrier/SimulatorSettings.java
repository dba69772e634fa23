package dev.rampart.carrier;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's settings, from its environment. Without a webhook base it only books (no webhooks
 * are sent).
 *
 * @param webhookBase where the webhooks go: {@code <base>/api/carrier/v1/shipments/{id}/events}
 *     (the system's gateway)
 * @param webhookToken the partner bearer token sent with every webhook
 * @param minDelay shortest pause before each event of a parcel (jittered up to {@code maxDelay})
 * @param duplicateRate chance that an event is sent twice
 * @param reorderRate chance that an event is sent after the next one
 */
record SimulatorSettings(
    String host,
    int port,
    Optional<URI> webhookBase,
    String webhookToken,
    Duration minDelay,
    Duration maxDelay,
    double duplicateRate,
    double reorderRate,
    long seed) {

  static final String HOST = "CARRIER_HOST";
  static final String PORT = "CARRIER_PORT";
  static final String WEBHOOK_BASE = "CARRIER_WEBHOOK_BASE";
  static final String WEBHOOK_TOKEN = "CARRIER_WEBHOOK_TOKEN";
  static final String MIN_DELAY_MS = "CARRIER_MIN_DELAY_MS";
  static final String MAX_DELAY_MS = "CARRIER_MAX_DELAY_MS";
  static final String DUPLICATE_RATE = "CARRIER_DUPLICATE_RATE";
  static final String REORDER_RATE = "CARRIER_REORDER_RATE";
  static final String SEED = "CARRIER_SEED";

  static SimulatorSettings fromEnv(Map<String, String> env) {
    var settings =
        new SimulatorSettings(
            env.getOrDefault(HOST, "127.0.0.1"),
            Integer.parseInt(env.getOrDefault(PORT, "8480")),
            Optional.ofNullable(env.get(WEBHOOK_BASE)).filter(s -> !s.isBlank()).map(URI::create),
            env.getOrDefault(WEBHOOK_TOKEN, ""),
            Duration.ofMillis(Long.parseLong(env.getOrDefault(MIN_DELAY_MS, "200"))),
            Duration.ofMillis(Long.parseLong(env.getOrDefault(MAX_DELAY_MS, "1500"))),
            Double.parseDouble(env.getOrDefault(DUPLICATE_RATE, "0.25")),
            Double.parseDouble(env.getOrDefault(REORDER_RATE, "0.25")),
            Long.parseLong(env.getOrDefault(SEED, String.valueOf(System.nanoTime()))));
    if (settings.maxDelay.compareTo(settings.minDelay) < 0) {
      throw new IllegalArgumentException(MAX_DELAY_MS + " must be at least " + MIN_DELAY_MS);
    }
    return settings;
  }
}
