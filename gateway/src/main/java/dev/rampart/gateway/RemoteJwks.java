package dev.rampart.gateway;

import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWKS fetched from the issuer's {@code jwks_uri}, through Nimbus' {@link JWKSourceBuilder}:
 * cached for {@link #CACHE_TTL}; a token with an unknown {@code kid} makes it fetch again,
 * rate-limited (Nimbus lets two fetches through per {@code minRefreshInterval}, one kept for
 * exactly this). Only https, or http to a loopback address (tests, a sidecar).
 */
final class RemoteJwks {
  static final Duration CACHE_TTL = Duration.ofMinutes(5);
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);

  private RemoteJwks() {}

  static JWKSource<SecurityContext> of(URI uri, Duration minRefreshInterval, Runnable onRefresh) {
    requireSafe(uri);
    int timeout = (int) FETCH_TIMEOUT.toMillis();
    try {
      return JWKSourceBuilder.create(
              uri.toURL(), new DefaultResourceRetriever(timeout, timeout, MAX_BYTES))
          .cache(
              CACHE_TTL.toMillis(),
              FETCH_TIMEOUT.toMillis() * 2,
              event -> {
                if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<?> done) {
                  log.info("fetched {} key(s) from {}", done.getJWKSet().size(), uri);
                  onRefresh.run();
                }
              })
          .refreshAheadCache(false)
          .rateLimited(minRefreshInterval.toMillis(), null)
          .retrying(false)
          .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("JWKS URI " + uri + " is not a URL", e);
    }
  }

  /** https, or http only to a loopback address: keys must not travel where they can be changed. */
  static void requireSafe(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (scheme.equals("https") && uri.getHost() != null) return;
    if (scheme.equals("http") && uri.getHost() != null && isLoopback(uri.getHost())) return;
    throw new IllegalArgumentException(
        "JWKS URI must be https (http only to a loopback address): " + uri);
  }

  private static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
