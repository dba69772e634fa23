package dev.rampart.gateway;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWKS file (mounted from a Secret) as a key source. Kubernetes updates a mounted Secret in
 * place, so the file is re-read when its modification time changes (checked at most every few
 * seconds): keys rotate without a restart. A broken new file keeps the previous keys.
 */
final class JwksFile implements JWKSource<SecurityContext> {
  static final long CHECK_INTERVAL_MILLIS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(JwksFile.class);
  private final Path path;
  private final Runnable onReload;
  private volatile JWKSet keys;
  private volatile FileTime loadedVersion;
  private volatile long checkedAt;

  private final long checkIntervalMillis;

  JwksFile(Path path, long checkIntervalMillis, Runnable onReload) {
    this.path = path;
    this.checkIntervalMillis = checkIntervalMillis;
    this.onReload = onReload;
    try {
      this.loadedVersion = Files.getLastModifiedTime(path);
      this.keys = JWKSet.parse(Files.readString(path));
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException(
          "cannot read JWKS file " + path + ": " + e.getMessage(), e);
    }
    if (keys.getKeys().isEmpty())
      throw new IllegalArgumentException("JWKS file " + path + " has no keys");
    this.checkedAt = System.currentTimeMillis();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) {
    reloadIfChanged();
    return selector.select(keys);
  }

  private void reloadIfChanged() {
    long now = System.currentTimeMillis();
    if (now - checkedAt < checkIntervalMillis) return;
    synchronized (this) {
      if (now - checkedAt < checkIntervalMillis) return;
      checkedAt = now;
      try {
        FileTime version = Files.getLastModifiedTime(path);
        if (version.equals(loadedVersion)) return;
        JWKSet fresh = JWKSet.parse(Files.readString(path));
        if (fresh.getKeys().isEmpty()) throw new ParseException("no keys", 0);
        keys = fresh;
        loadedVersion = version;
        onReload.run();
        log.info("reloaded {} key(s) from {}", fresh.getKeys().size(), path);
      } catch (IOException | ParseException e) {
        log.warn("keeping the previous JWKS: cannot reload {}: {}", path, e.getMessage());
      }
    }
  }
}
