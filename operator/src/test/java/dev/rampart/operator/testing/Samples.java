package dev.rampart.operator.testing;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The sample MicroserviceSystems under src/test/resources/samples. */
public final class Samples {
  private Samples() {}

  public static MicroserviceSystem shop(String namespace) {
    var system = load("/samples/shop.yaml");
    system.getMetadata().setNamespace(namespace);
    return system;
  }

  public static String shopYaml() {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/shop.yaml")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static MicroserviceSystem load(String resource) {
    try (InputStream in = Samples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new KubernetesSerialization().unmarshal(in, MicroserviceSystem.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
