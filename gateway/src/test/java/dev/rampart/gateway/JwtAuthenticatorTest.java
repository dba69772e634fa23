package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JWT verification against a JWKS file, incl. key rotation by rewriting the (Secret-mounted) file.
 */
class JwtAuthenticatorTest {
  final TestKeys keys = new TestKeys(TestKeys.tempDir());

  @Test
  void acceptsRs256AndEs256AndCachesOnlyValidTokens() {
    JwtAuthenticator jwt = new JwtAuthenticator(keys.settings());
    assertThat(jwt.verify(keys.token("alice")).userId()).isEqualTo("alice");
    assertThat(jwt.verify(keys.es256Token("bob")).userId()).isEqualTo("bob");
    String forged = TestKeys.rs256(TestKeys.claims("alice", c -> {}), keys.forgedRsa);
    assertThatThrownBy(() -> jwt.verify(forged)).isInstanceOf(Problem.ProblemException.class);
    assertThatThrownBy(() -> jwt.verify(forged)).isInstanceOf(Problem.ProblemException.class);
    String expiring =
        TestKeys.rs256(
            TestKeys.claims(
                "carol", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(29)))),
            keys.rsa);
    assertThat(jwt.verify(expiring).userId()).isEqualTo("carol"); // within the 30 s skew
  }

  @Test
  void partnerTokensAreTellableFromCustomersAndCarryTheirScopes() {
    JwtAuthenticator jwt = new JwtAuthenticator(keys.settings());
    JwtAuthenticator.Caller customer = jwt.verify(keys.token("alice"));
    assertThat(customer.partner()).isFalse();
    assertThat(customer.scopes()).isEmpty();
    JwtAuthenticator.Caller partner =
        jwt.verify(keys.partnerToken("carrier-1", " tracking:read  carrier.events:write "));
    assertThat(partner.partner()).isTrue();
    assertThat(partner.userId()).isEqualTo("carrier-1");
    assertThat(partner.scopes()).containsExactlyInAnyOrder("tracking:read", "carrier.events:write");
    // a token naming both audiences is a partner's, never a customer's
    String both =
        TestKeys.rs256(
            TestKeys.claims(
                "sneaky",
                c -> c.audience(List.of(TestKeys.AUDIENCE, "rampart-partners")).claim("scope", 7)),
            keys.rsa);
    assertThat(jwt.verify(both).partner()).isTrue();
    assertThat(jwt.verify(both).scopes()).isEmpty();
    String elsewhere =
        TestKeys.rs256(TestKeys.claims("x", c -> c.audience("another-api")), keys.rsa);
    assertThatThrownBy(() -> jwt.verify(elsewhere)).isInstanceOf(Problem.ProblemException.class);
    assertThatThrownBy(
            () ->
                new JwtAuthenticator(
                    keys.settings(), new GatewayConfig.Partners(TestKeys.AUDIENCE, "s"), 0))
        .hasMessageContaining("must differ");
  }

  @Test
  void rotatedKeysAreReloadedFromTheFile() throws Exception {
    JwtAuthenticator jwt = new JwtAuthenticator(keys.settings(), 0);
    String old = keys.token("alice");
    assertThat(jwt.verify(old).userId()).isEqualTo("alice");

    RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    Files.writeString(keys.jwksFile, new JWKSet(List.of(next.toPublicJWK())).toString());
    Files.setLastModifiedTime(keys.jwksFile, FileTime.from(Instant.now().plusSeconds(5)));
    String fresh = TestKeys.rs256(TestKeys.claims("alice", c -> {}), next);
    assertThat(jwt.verify(fresh).userId()).isEqualTo("alice");
    // the retired key no longer verifies (and the cache forgot the token it had verified)
    assertThatThrownBy(() -> jwt.verify(old)).isInstanceOf(Problem.ProblemException.class);

    // a broken file keeps the previous keys
    Files.writeString(keys.jwksFile, "{not json");
    Files.setLastModifiedTime(keys.jwksFile, FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(jwt.verify(TestKeys.rs256(TestKeys.claims("bob", c -> {}), next)).userId())
        .isEqualTo("bob");
  }

  @Test
  void unreadableOrEmptyJwksFailsAtStart() throws Exception {
    Path empty = Files.writeString(TestKeys.tempDir().resolve("jwks.json"), "{\"keys\":[]}");
    assertThatThrownBy(
            () ->
                new JwtAuthenticator(
                    new GatewayConfig.JwtSettings(empty, "i", "a", java.time.Duration.ZERO)))
        .hasMessageContaining("no keys");
    assertThatThrownBy(
            () ->
                new JwtAuthenticator(
                    new GatewayConfig.JwtSettings(
                        Path.of("/nonexistent/jwks.json"), "i", "a", java.time.Duration.ZERO)))
        .hasMessageContaining("/nonexistent/jwks.json");
  }
}
