package dev.rampart.operator.desired;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The {@code akka.cluster.app-version} of a service's pods: a counter that rises by one whenever
 * the pod template changes, so every rollout starts nodes with a higher version than the ones it
 * replaces and sharding allocates to them (Akka's practice for rolling updates). A hash of the
 * template cannot be compared; the Deployment's revision is not visible to its pods. The counter
 * and the hash of the template it belongs to live in annotations of the Deployment itself: the next
 * version is a pure function of the CR and what was applied last. A replica change leaves the
 * template alone, so it never rises then.
 */
public record AppVersion(int version, String templateHash) {
  public static final String VERSION_ANNOTATION = "rampart.dev/app-version";
  public static final String TEMPLATE_HASH_ANNOTATION = "rampart.dev/template-hash";

  /** Nothing applied yet: the first template gets version 1. */
  public static final AppVersion NONE = new AppVersion(0, "");

  /** What an applied Deployment carries; {@link #NONE} without (or with unreadable) annotations. */
  public static AppVersion of(Deployment applied) {
    Map<String, String> annotations =
        applied == null || applied.getMetadata().getAnnotations() == null
            ? Map.of()
            : applied.getMetadata().getAnnotations();
    try {
      return new AppVersion(
          Integer.parseInt(annotations.getOrDefault(VERSION_ANNOTATION, "0")),
          annotations.getOrDefault(TEMPLATE_HASH_ANNOTATION, ""));
    } catch (NumberFormatException e) {
      return NONE;
    }
  }

  /** The version of a template: the same for the same template, one higher for another. */
  public AppVersion next(PodTemplateSpec template) {
    String hash = hash(template);
    return hash.equals(templateHash) ? this : new AppVersion(version + 1, hash);
  }

  static String hash(PodTemplateSpec template) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
