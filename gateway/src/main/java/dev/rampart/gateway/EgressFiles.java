package dev.rampart.gateway;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import dev.rampart.contract.Env;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One egress endpoint's optional files under {@code <dir>/<name>/}: the CA bundle its TLS is
 * verified against ({@value Env#EGRESS_CA_FILE}) and the Authorization value sent to it ({@value
 * Env#EGRESS_AUTHORIZATION_FILE}). Each is read again when its modification time changes (a Secret
 * mount's update), so credentials and CAs rotate without a restart; a file that cannot be read is a
 * failed request (502), never a request sent without it.
 */
final class EgressFiles {
  private final Watched<String> authorization;
  private final Watched<HttpsConnectionContext> tls;

  EgressFiles(Path dir, String name) {
    Path base = dir.resolve(name);
    authorization =
        new Watched<>(
            base.resolve(Env.EGRESS_AUTHORIZATION_FILE),
            bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8).trim());
    tls = new Watched<>(base.resolve(Env.EGRESS_CA_FILE), EgressFiles::httpsTrusting);
  }

  /** The whole Authorization header value to send, if one is configured. */
  Optional<String> authorization() {
    return authorization.get();
  }

  /** TLS trusting only the configured CA bundle, if one is configured (else the JVM's CAs). */
  Optional<HttpsConnectionContext> tls() {
    return tls.get();
  }

  /** Client TLS that trusts exactly the certificates of a PEM bundle; hostnames are verified. */
  static HttpsConnectionContext httpsTrusting(byte[] pem) {
    try (InputStream in = new java.io.ByteArrayInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
        trust.setCertificateEntry("ca-" + i++, c);
      if (i == 0) throw new IllegalStateException("the CA bundle holds no certificate");
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ConnectionContext.httpsClient(ssl);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the CA bundle: " + e.getMessage(), e);
    }
  }

  /**
   * A file's parsed content (empty while there is no file), parsed again when the file's
   * modification time or size changes.
   */
  private static final class Watched<T> {
    private final Path file;
    private final Function<byte[], T> parse;
    private String seen;
    private T value;

    Watched(Path file, Function<byte[], T> parse) {
      this.file = file;
      this.parse = parse;
    }

    synchronized Optional<T> get() {
      String version;
      try {
        // follows the symlinks of a Secret mount, whose update swaps the target
        FileTime modified = Files.getLastModifiedTime(file);
        version = modified.toMillis() + "/" + Files.size(file);
      } catch (NoSuchFileException e) {
        seen = null;
        value = null;
        return Optional.empty();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
      if (!version.equals(seen)) {
        try {
          value = parse.apply(Files.readAllBytes(file));
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        seen = version;
      }
      return Optional.of(value);
    }
  }
}
