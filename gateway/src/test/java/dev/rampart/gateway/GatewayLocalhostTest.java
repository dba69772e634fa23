package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.contract.Probes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl port-forward svc/<system>-gateway} needs: the gateway answers on the pod's
 * localhost as well as on its pod IP (here 127.0.0.2 plays the pod IP, 127.0.0.1 its localhost).
 */
class GatewayLocalhostTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theGatewayAnswersOnThePodIpAndOnThePodsLocalhost() throws Exception {
    try (FakeUpstreams upstreams = new FakeUpstreams()) {
      GatewayConfig c =
          GatewayHarness.config(new TestKeys(TestKeys.tempDir()), upstreams.endpoints());
      GatewayConfig onPodIp = c.with(x -> x.httpHost = "127.0.0.2");
      try (GatewayServer gateway = GatewayServer.start(onPodIp, Optional.of("127.0.0.1"))) {
        assertThat(gateway.host()).isEqualTo("127.0.0.2");
        for (String host : new String[] {"127.0.0.2", "127.0.0.1"}) {
          HttpResponse<String> ready =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://" + host + ":" + gateway.port() + Probes.GATEWAY_READY))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(ready.statusCode()).as("GET /readyz on " + host).isEqualTo(200);
        }
      }
    }
  }
}
