package dev.rampart.platform;

import akka.actor.ClassicActorSystemProvider;
import akka.kafka.ConsumerSettings;
import akka.kafka.ProducerSettings;
import dev.rampart.contract.Env;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka connection of a service: bootstrap servers, the topics it produces/consumes, optional
 * SASL/SCRAM credentials. Builds Alpakka settings on top of {@code akka.kafka.producer}/{@code
 * consumer} config.
 */
public record KafkaSettings(
    Optional<String> bootstrapServers,
    List<String> produces,
    List<String> consumes,
    Optional<String> username,
    Optional<String> password) {

  /**
   * Strimzi's SCRAM listeners use SCRAM-SHA-512; the protocol can be switched with config if TLS is
   * used.
   */
  static final String SASL_MECHANISM = "SCRAM-SHA-512";

  static KafkaSettings fromEnv(Map<String, String> env) {
    return new KafkaSettings(
        PlatformSettings.value(env, Env.KAFKA_BOOTSTRAP_SERVERS),
        PlatformSettings.value(env, Env.KAFKA_PRODUCES)
            .map(v -> PlatformSettings.list(v, ","))
            .orElse(List.of()),
        PlatformSettings.value(env, Env.KAFKA_CONSUMES)
            .map(v -> PlatformSettings.list(v, ","))
            .orElse(List.of()),
        PlatformSettings.value(env, Env.KAFKA_USERNAME),
        PlatformSettings.value(env, Env.KAFKA_PASSWORD));
  }

  public boolean configured() {
    return bootstrapServers.isPresent();
  }

  public String requireBootstrapServers() {
    return bootstrapServers.orElseThrow(
        () ->
            new IllegalStateException(
                Env.KAFKA_BOOTSTRAP_SERVERS + " is not set: this service needs Kafka"));
  }

  public <K, V> ProducerSettings<K, V> producerSettings(
      ClassicActorSystemProvider system,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer) {
    ProducerSettings<K, V> settings =
        ProducerSettings.create(system, keySerializer, valueSerializer)
            .withBootstrapServers(requireBootstrapServers())
            // at-least-once publishing: no duplicates from producer retries themselves
            .withProperty("enable.idempotence", "true")
            .withProperty("acks", "all");
    for (Map.Entry<String, String> e : saslProperties(system).entrySet()) {
      settings = settings.withProperty(e.getKey(), e.getValue());
    }
    return settings;
  }

  public <K, V> ConsumerSettings<K, V> consumerSettings(
      ClassicActorSystemProvider system,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer,
      String groupId) {
    ConsumerSettings<K, V> settings =
        ConsumerSettings.create(system, keyDeserializer, valueDeserializer)
            .withBootstrapServers(requireBootstrapServers())
            .withGroupId(groupId)
            .withProperty("auto.offset.reset", "earliest")
            .withProperty("enable.auto.commit", "false");
    for (Map.Entry<String, String> e : saslProperties(system).entrySet()) {
      settings = settings.withProperty(e.getKey(), e.getValue());
    }
    return settings;
  }

  private Map<String, String> saslProperties(ClassicActorSystemProvider system) {
    if (username.isEmpty()) {
      return Map.of();
    }
    String protocol =
        system
            .classicSystem()
            .settings()
            .config()
            .getString("rampart.kafka.sasl-security-protocol");
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + username.get()
            + "\" password=\""
            + password.orElse("")
            + "\";";
    return Map.of(
        "security.protocol", protocol, "sasl.mechanism", SASL_MECHANISM, "sasl.jaas.config", jaas);
  }

  @Override
  public String toString() {
    return "KafkaSettings["
        + bootstrapServers.orElse("(none)")
        + ", produces="
        + produces
        + ", consumes="
        + consumes
        + ", sasl="
        + username.isPresent()
        + "]";
  }
}
