package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys from a JWKS URL: a real HTTP server on loopback serves the JWKS and counts the fetches. An
 * unknown {@code kid} makes the gateway fetch exactly once more; a burst of unknown kids at most
 * once (rate-limited), so forged kids cannot make the gateway hammer the issuer.
 */
class RemoteJwksTest {
  final TestKeys keys = new TestKeys(TestKeys.tempDir());
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicReference<List<JWK>> served = new AtomicReference<>();
  HttpServer server;

  @BeforeEach
  void serve() throws Exception {
    served.set(List.of(keys.rsa.toPublicJWK()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = new JWKSet(served.get()).toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  JwtAuthenticator authenticator() {
    return new JwtAuthenticator(
        keys.settings()
            .withJwksUri(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json")));
  }

  @Test
  void anUnknownKidTriggersExactlyOneFetch() throws Exception {
    JwtAuthenticator jwt = authenticator();
    assertThat(jwt.verify(keys.token("alice")).userId()).isEqualTo("alice");
    assertThat(jwt.verify(keys.token("bob")).userId()).isEqualTo("bob");
    assertThat(fetches.get()).as("first use fetches, then the cache answers").isEqualTo(1);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-rotated").generate();
    served.set(List.of(keys.rsa.toPublicJWK(), rotated.toPublicJWK()));
    String fresh = TestKeys.rs256(TestKeys.claims("carol", c -> {}), rotated);
    assertThat(jwt.verify(fresh).userId()).isEqualTo("carol");
    assertThat(jwt.verify(fresh).userId()).isEqualTo("carol");
    assertThat(fetches.get()).as("one fetch for the unknown kid").isEqualTo(2);
  }

  @Test
  void aBurstOfUnknownKidsTriggersAtMostOneFetch() throws Exception {
    JwtAuthenticator jwt = authenticator();
    assertThat(jwt.verify(keys.token("alice")).userId()).isEqualTo("alice");
    assertThat(fetches.get()).isEqualTo(1);
    List<String> forged = new ArrayList<>();
    for (int i = 0; i < 20; i++)
      forged.add(
          TestKeys.rs256(
              TestKeys.claims("mallory", c -> {}),
              new RSAKeyGenerator(2048).keyID("unknown-" + i).generate()));
    List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
    for (String token : forged)
      attempts.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  jwt.verify(token);
                  return true;
                } catch (Problem.ProblemException rejected) {
                  return false;
                }
              }));
    for (CompletableFuture<Boolean> a : attempts) assertThat(a.get()).isFalse();
    assertThat(fetches.get() - 1).as("fetches for the burst").isBetween(0, 1);
    // the known key still verifies meanwhile, from the cache
    assertThat(jwt.verify(keys.token("dave")).userId()).isEqualTo("dave");
  }

  @Test
  void onlyHttpsOrLoopbackHttp() {
    assertThatThrownBy(() -> RemoteJwks.requireSafe(URI.create("http://id.example.com/jwks")))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> RemoteJwks.requireSafe(URI.create("file:///etc/jwks.json")))
        .hasMessageContaining("https");
    RemoteJwks.requireSafe(URI.create("https://id.example.com/.well-known/jwks.json"));
    RemoteJwks.requireSafe(URI.create("http://127.0.0.1:8080/jwks.json"));
  }
}
