package dev.rampart.gateway;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/**
 * Signing keys for tests: an RSA and an EC key whose public halves are in a JWKS file the gateway
 * trusts.
 */
final class TestKeys {
  static final String ISSUER = "https://id.rampart.test/";
  static final String AUDIENCE = "rampart-gateway";
  final RSAKey rsa;
  final ECKey ec;

  /** Same kid as {@link #rsa}, different key material: a forger's key. */
  final RSAKey forgedRsa;

  final Path jwksFile;

  TestKeys(Path dir) {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
      forgedRsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      jwksFile = dir.resolve("jwks.json");
      Files.writeString(
          jwksFile, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  GatewayConfig.JwtSettings settings() {
    return new GatewayConfig.JwtSettings(jwksFile, ISSUER, AUDIENCE, Duration.ofSeconds(30));
  }

  /** A valid RS256 token for the user. */
  String token(String userId) {
    return rs256(claims(userId, c -> {}), rsa);
  }

  /** A valid partner token (the partner audience) with the given space-separated scope. */
  String partnerToken(String partner, String scope) {
    return rs256(
        claims(
            partner,
            c ->
                c.audience(dev.rampart.contract.Env.DEFAULT_JWT_PARTNER_AUDIENCE)
                    .claim("scope", scope)),
        rsa);
  }

  /** A valid ES256 token for the user. */
  String es256Token(String userId) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(ec.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims(userId, c -> {}));
      jwt.sign(new ECDSASigner(ec));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet claims(String userId, Consumer<JWTClaimsSet.Builder> customize) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .subject(userId)
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(600)));
    customize.accept(b);
    return b.build();
  }

  static String rs256(JWTClaimsSet claims, RSAKey key) {
    return sign(claims, JWSAlgorithm.RS256, key.getKeyID(), rsaSigner(key));
  }

  static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RS256 with the given typ header ({@code null}: none). */
  static String typed(JWTClaimsSet claims, JOSEObjectType typ, RSAKey key) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(typ).build(),
              claims);
      jwt.sign(rsaSigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner rsaSigner(RSAKey key) {
    try {
      return new RSASSASigner(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("rampart-gateway-test");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
