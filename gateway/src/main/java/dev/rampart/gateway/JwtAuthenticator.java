package dev.rampart.gateway;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies bearer JWTs: RS256 or ES256 signatures by a key of the JWKS file, the configured issuer
 * and audience, exp (required) and nbf within a bounded clock skew, and a subject, which is the
 * caller's user id.
 */
public final class JwtAuthenticator {
  static final int MAX_TOKEN_LENGTH = 8192;
  static final int MAX_CACHED_TOKENS = 10_000;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final long maxClockSkewMillis;

  /** Tokens already verified, until they expire: a client sends the same token many times. */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Caller caller, long expiresAtMillis) {}

  /** The authenticated caller. */
  public record Caller(String userId) {}

  public JwtAuthenticator(GatewayConfig.JwtSettings settings) {
    this(settings, JwksFile.CHECK_INTERVAL_MILLIS);
  }

  JwtAuthenticator(GatewayConfig.JwtSettings settings, long jwksCheckIntervalMillis) {
    JwksFile keys = new JwksFile(settings.jwksPath(), jwksCheckIntervalMillis, verified::clear);
    maxClockSkewMillis = settings.maxClockSkew().toMillis();
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            settings.audience(),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            Set.of("sub", "exp"));
    claims.setMaxClockSkew((int) settings.maxClockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** The caller of a compact JWT, or a 401 problem saying why it is not accepted. */
  public Caller verify(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)
      throw Problem.unauthorized("bearer token is empty or too long").asException();
    long now = System.currentTimeMillis();
    Verified cached = verified.get(token);
    if (cached != null && now < cached.expiresAtMillis() + maxClockSkewMillis)
      return cached.caller();
    try {
      JWTClaimsSet claims = processor.process(token, null);
      Caller caller = new Caller(claims.getSubject());
      if (verified.size() >= MAX_CACHED_TOKENS) verified.clear();
      verified.put(token, new Verified(caller, claims.getExpirationTime().getTime()));
      return caller;
    } catch (ParseException e) {
      throw Problem.unauthorized("bearer token is not a JWT").asException();
    } catch (Exception e) {
      // BadJOSEException (signature, alg, claims) and JOSEException: the message says which check
      // failed.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw Problem.unauthorized(
              "bearer token rejected: " + (why.length() > 200 ? why.substring(0, 200) : why))
          .asException();
    }
  }
}
