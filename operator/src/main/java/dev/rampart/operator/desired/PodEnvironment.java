package dev.rampart.operator.desired;

import dev.rampart.operator.api.v1alpha1.SecretKeys;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/**
 * Building blocks of the env of Rampart containers: literal, downward-API and Secret-backed
 * variables.
 */
final class PodEnvironment {
  private PodEnvironment() {}

  static EnvVar literal(String name, Object value) {
    return new EnvVarBuilder().withName(name).withValue(String.valueOf(value)).build();
  }

  static EnvVar fromField(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  static EnvVar fromSecret(String name, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secretName)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  static EnvVar username(String name, SecretKeys secret) {
    return fromSecret(name, secret.name, secret.usernameKeyOrDefault());
  }

  static EnvVar password(String name, SecretKeys secret) {
    return fromSecret(name, secret.name, secret.passwordKeyOrDefault());
  }
}
