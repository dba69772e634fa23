package dev.rampart.e2e.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.contract.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An identity provider for journeys: an RS256 key pair whose public half is published as a JWKS
 * file (what the gateway reads from a Secret in a cluster) and whose private half signs access
 * tokens for test users.
 */
public final class LocalJwtIssuer {
  public static final String ISSUER = "https://id.rampart.local/";
  public static final String AUDIENCE = "shop";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair keys;
  private final String keyId = "journey-key-1";

  public LocalJwtIssuer() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWKS document (public key only). */
  public String jwks() {
    RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", keyId);
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("n", B64.encodeToString(unsigned(publicKey.getModulus())));
    jwk.put("e", B64.encodeToString(unsigned(publicKey.getPublicExponent())));
    try {
      return JSON.writeValueAsString(Map.of("keys", List.of(jwk)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path writeJwks(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, jwks());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A signed access token for a user, valid for an hour. */
  public String tokenFor(String userId) {
    return sign(userId, AUDIENCE, null, 3600);
  }

  /** The partner audience and scope the gateway expects by default (contract {@code Env}). */
  public static final String PARTNER_AUDIENCE = Env.DEFAULT_JWT_PARTNER_AUDIENCE;

  public static final String PARTNER_SCOPE = Env.DEFAULT_JWT_PARTNER_SCOPE;

  /**
   * A partner's token (a carrier posting webhooks): the same issuer and key, the partner audience
   * and scope, valid for a day (a partner holds its token for the whole run).
   */
  public String partnerToken(String partnerId) {
    return sign(partnerId, PARTNER_AUDIENCE, PARTNER_SCOPE, 24 * 3600);
  }

  private String sign(String subject, String audience, String scope, long validSeconds) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", audience);
    claims.put("sub", subject);
    if (scope != null) claims.put("scope", scope);
    claims.put("iat", now);
    claims.put("nbf", now - 5);
    claims.put("exp", now + validSeconds);
    try {
      String header =
          B64.encodeToString(
              JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", keyId)));
      String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + B64.encodeToString(signer.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
