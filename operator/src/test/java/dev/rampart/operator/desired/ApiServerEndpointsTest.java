package dev.rampart.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiServerEndpointsTest {
  @Test
  void readyAddressesAndTcpPortsOfTheSlices() {
    var slice =
        slice("IPv4")
            .addNewEndpoint()
            .withAddresses("10.0.0.2")
            .endEndpoint()
            .addNewEndpoint()
            .withAddresses("10.0.0.3")
            .withNewConditions()
            .withReady(true)
            .endConditions()
            .endEndpoint()
            .addNewEndpoint()
            .withAddresses("10.0.0.9")
            .withNewConditions()
            .withReady(false)
            .endConditions()
            .endEndpoint()
            .addNewPort()
            .withName("https")
            .withPort(6443)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("odd")
            .withPort(53)
            .withProtocol("UDP")
            .endPort()
            .build();
    var endpoints = ApiServerEndpoints.of(List.of(slice));

    assertThat(endpoints.addresses()).containsExactly("10.0.0.2", "10.0.0.3");
    assertThat(endpoints.ports()).containsExactly(6443);
    assertThat(endpoints.cidrs()).containsExactly("10.0.0.2/32", "10.0.0.3/32");
  }

  @Test
  void ipv6AddressesAreSingleHostsToo() {
    var slice =
        slice("IPv6")
            .addNewEndpoint()
            .withAddresses("fd00::1")
            .endEndpoint()
            .addNewPort()
            .withPort(443)
            .endPort()
            .build();
    assertThat(ApiServerEndpoints.of(List.of(slice)).cidrs()).containsExactly("fd00::1/128");
  }

  @Test
  void unknownWithoutAReadyAddressAPortOrAnIpSlice() {
    assertThat(ApiServerEndpoints.of(List.of())).isEqualTo(ApiServerEndpoints.UNKNOWN);
    var noPorts = slice("IPv4").addNewEndpoint().withAddresses("10.0.0.2").endEndpoint().build();
    assertThat(ApiServerEndpoints.of(List.of(noPorts)).known()).isFalse();
    var fqdn =
        slice("FQDN")
            .addNewEndpoint()
            .withAddresses("api.example.com")
            .endEndpoint()
            .addNewPort()
            .withPort(443)
            .endPort()
            .build();
    assertThat(ApiServerEndpoints.of(List.of(fqdn)).known()).isFalse();
  }

  private static EndpointSliceBuilder slice(String addressType) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("kubernetes")
        .withNamespace("default")
        .endMetadata()
        .withAddressType(addressType);
  }
}
