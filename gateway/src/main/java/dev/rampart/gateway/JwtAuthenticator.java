package dev.rampart.gateway;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer JWTs: RS256 or ES256 signatures by a key of the JWKS (a file, or the issuer's
 * URL), a configured {@code typ}, the configured issuer and audience, exp (required) and nbf within
 * a bounded clock skew, optionally a maximum age by iat, and a subject in the user-id format, which
 * is the caller's user id.
 */
public final class JwtAuthenticator {
  static final int MAX_TOKEN_LENGTH = 8192;
  static final int MAX_CACHED_TOKENS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final long maxClockSkewMillis;
  private final long maxTokenAgeMillis; // 0: no limit

  /** Tokens already verified, until they expire: a client sends the same token many times. */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Caller caller, long expiresAtMillis) {}

  /**
   * The authenticated caller, and until when its token is valid (exp, or iat + maximum age); a
   * partner (a token for the partner audience) with the scopes of its {@code scope} claim.
   */
  public record Caller(String userId, Instant validUntil, boolean partner, Set<String> scopes) {
    /** A customer. */
    public Caller(String userId, Instant validUntil) {
      this(userId, validUntil, false, Set.of());
    }
  }

  private final JWKSource<SecurityContext> keys;

  private final String partnerAudience;

  public JwtAuthenticator(GatewayConfig.JwtSettings settings) {
    this(settings, JwksFile.CHECK_INTERVAL_MILLIS);
  }

  JwtAuthenticator(GatewayConfig.JwtSettings settings, long jwksCheckIntervalMillis) {
    this(settings, GatewayConfig.Partners.DEFAULT, jwksCheckIntervalMillis);
  }

  /** Customers' tokens carry the settings' audience, partners' the {@code partners} audience. */
  JwtAuthenticator(
      GatewayConfig.JwtSettings settings,
      GatewayConfig.Partners partners,
      long jwksCheckIntervalMillis) {
    if (partners.audience().equals(settings.audience()))
      throw new IllegalArgumentException("the partner audience must differ from the customers'");
    partnerAudience = partners.audience();
    keys =
        settings.jwksUri().isPresent()
            ? RemoteJwks.of(
                settings.jwksUri().get(), RemoteJwks.MIN_REFRESH_INTERVAL, verified::clear)
            : new JwksFile(settings.jwksPath(), jwksCheckIntervalMillis, verified::clear);
    maxClockSkewMillis = settings.maxClockSkew().toMillis();
    processor = new DefaultJWTProcessor<>();
    maxTokenAgeMillis = settings.maxTokenAge().map(Duration::toMillis).orElse(0L);
    Set<JOSEObjectType> types = new HashSet<>();
    for (String t : settings.acceptedTypes()) types.add(new JOSEObjectType(t));
    if (settings.acceptUntyped()) types.add(null); // the verifier's marker for "no typ header"
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            // a mutable set: the verifier asks it whether it contains null (Set.of would throw)
            new HashSet<>(Set.of(settings.audience(), partners.audience())),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            maxTokenAgeMillis > 0 ? Set.of("sub", "exp", "iat") : Set.of("sub", "exp"),
            null);
    claims.setMaxClockSkew((int) settings.maxClockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** The space-separated {@code scope} claim (RFC 9068); a malformed one grants nothing. */
  private static Set<String> scopes(JWTClaimsSet claims) {
    if (!(claims.getClaim("scope") instanceof String scope)) return Set.of();
    Set<String> out = new HashSet<>();
    for (String s : scope.trim().split(" +")) if (!s.isEmpty()) out.add(s);
    return Set.copyOf(out);
  }

  /** The same 401 for every rejected token; why is logged (at debug: floods are the client's). */
  private static Problem.ProblemException rejected(String why) {
    log.debug("bearer token rejected: {}", why);
    return Problem.unauthorized("the bearer token is not valid").asException();
  }

  /**
   * Whether a token verified before still is: its key is still in the key source (asking the source
   * also lets it reload), and the token verifies (from the cache, which a key change clears, else
   * again). An unreachable key source does not count against the token.
   */
  boolean stillTrusted(String token) {
    try {
      JWSHeader header = JWSObject.parse(token).getHeader();
      if (keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null).isEmpty()) return false;
      verify(token);
      return true;
    } catch (ParseException | Problem.ProblemException e) {
      return false;
    } catch (KeySourceException e) {
      log.warn("cannot check the key of an open stream's token: {}", e.getMessage());
      return true;
    }
  }

  /** The caller of a compact JWT, or a 401 problem (a generic one: the reason is logged). */
  public Caller verify(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)
      throw Problem.unauthorized("bearer token is empty or too long").asException();
    long now = System.currentTimeMillis();
    Verified cached = verified.get(token);
    if (cached != null && now < cached.expiresAtMillis() + maxClockSkewMillis)
      return cached.caller();
    try {
      JWTClaimsSet claims = processor.process(token, null);
      // the subject becomes a user id in paths, gRPC requests and logs
      if (!FieldChecks.ID.matcher(claims.getSubject()).matches())
        throw rejected("sub is not a user id");
      long validUntil = claims.getExpirationTime().getTime();
      if (maxTokenAgeMillis > 0) {
        long issuedAt = claims.getIssueTime().getTime();
        if (issuedAt > now + maxClockSkewMillis) throw rejected("iat is in the future");
        if (now - issuedAt > maxTokenAgeMillis + maxClockSkewMillis)
          throw rejected("older than the maximum token age (iat)");
        validUntil = Math.min(validUntil, issuedAt + maxTokenAgeMillis);
      }
      // a token for the partner audience is a partner's, whatever else it names: never a customer's
      boolean partner = claims.getAudience().contains(partnerAudience);
      Caller caller =
          new Caller(
              claims.getSubject(),
              Instant.ofEpochMilli(validUntil),
              partner,
              partner ? scopes(claims) : Set.of());
      if (verified.size() >= MAX_CACHED_TOKENS) verified.clear();
      verified.put(token, new Verified(caller, validUntil));
      return caller;
    } catch (Problem.ProblemException e) {
      throw e;
    } catch (ParseException e) {
      throw rejected("not a JWT");
    } catch (Exception e) {
      // BadJOSEException (signature, alg, claims) and JOSEException: the message says which check
      // failed, and may name the expected issuer or audience, so it goes to the log only.
      throw rejected(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }
}
