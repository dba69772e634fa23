package dev.rampart.e2e.pods;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps container images (repository, any tag) to local launches of the module they are built from.
 */
public final class ImageCatalog {
  private final Map<String, Launch> byRepository = new LinkedHashMap<>();

  public ImageCatalog register(String repository, Launch launch) {
    byRepository.put(repository, launch);
    return this;
  }

  public Optional<Launch> launchFor(String image) {
    return Optional.ofNullable(byRepository.get(repository(image)));
  }

  /**
   * "ghcr.io/rampart/order-service:0.1.0" and "...@sha256:..." → "ghcr.io/rampart/order-service".
   */
  static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
  }
}
