package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.operator.testing.Samples;
import org.junit.jupiter.api.Test;

class GatewayRoutesTest {
  @Test
  void urlIsHttpsWithTlsHttpWithoutAndTheServiceWithoutHostnames() {
    var shop = Samples.shop("prod");
    var gateway = shop.getSpec().gateway;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("https://shop.example.com");
    gateway.tls = null;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("http://shop.example.com");
    gateway.hostnames = null;
    assertThat(GatewayRoutes.url(shop, gateway)).isEqualTo("http://shop-gateway.prod.svc:80");
  }

  @Test
  void httpRouteSpellsOutWhatTheServerWouldDefault() {
    var shop = Samples.shop("prod");
    var route = GatewayRoutes.httpRoute(shop, shop.getSpec().gateway);
    var parent = route.getSpec().getParentRefs().get(0);
    assertThat(parent.getGroup()).isEqualTo("gateway.networking.k8s.io");
    assertThat(parent.getKind()).isEqualTo("Gateway");
    var backend = route.getSpec().getRules().get(0).getBackendRefs().get(0);
    assertThat(backend.getKind()).isEqualTo("Service");
    assertThat(backend.getWeight()).isEqualTo(1);
  }

  @Test
  void ingressWithoutHostnamesHasOneHostlessRule() {
    var shop = Samples.shop("prod");
    shop.getSpec().gateway.hostnames = null;
    shop.getSpec().gateway.tls = null;
    var ingress = GatewayRoutes.ingress(shop, shop.getSpec().gateway);
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(r -> assertThat(r.getHost()).isNull());
    assertThat(ingress.getSpec().getTls()).isEmpty();
  }
}
