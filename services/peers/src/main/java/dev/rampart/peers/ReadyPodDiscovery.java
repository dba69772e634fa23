package dev.rampart.peers;

import akka.actor.ExtendedActorSystem;
import akka.discovery.Lookup;
import akka.discovery.ServiceDiscovery;
import akka.discovery.kubernetes.Settings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.jdk.javaapi.OptionConverters;

/**
 * Akka Discovery method {@value #METHOD}: the Ready pods of a service, listed through the
 * Kubernetes API with the same settings as kubernetes-api discovery ({@code
 * akka.discovery.kubernetes-api}: token, CA, namespace, pod label selector). Registered in this
 * module's reference.conf; the pods' Role grants the pods list it needs.
 */
public final class ReadyPodDiscovery extends ServiceDiscovery {
  public static final String METHOD = "rampart-ready-pods";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Settings settings;
  private final HttpClient http;

  public ReadyPodDiscovery(ExtendedActorSystem system) {
    this.settings = Settings.get(system);
    this.http =
        HttpClient.newBuilder()
            .sslContext(trusting(Path.of(settings.apiCaPath())))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @Override
  public Future<Resolved> lookup(Lookup lookup, FiniteDuration resolveTimeout) {
    return FutureConverters.asScala(
        listReady(lookup, Duration.ofMillis(resolveTimeout.toMillis())).toCompletableFuture());
  }

  private CompletionStage<Resolved> listReady(Lookup lookup, Duration timeout) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(podsUri(lookup.serviceName()))
              .header(
                  "Authorization",
                  "Bearer " + Files.readString(Path.of(settings.apiTokenPath())).trim())
              .timeout(timeout)
              .GET()
              .build();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Optional<String> portName = OptionConverters.toJava(lookup.portName());
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "pod list for "
                        + lookup.serviceName()
                        + ": HTTP "
                        + response.statusCode()
                        + " "
                        + new String(response.body(), StandardCharsets.UTF_8));
              }
              try {
                var targets = ReadyPods.targets(JSON.readTree(response.body()), portName);
                return new Resolved(
                    lookup.serviceName(), CollectionConverters.asScala(targets).toList());
              } catch (IOException e) {
                throw new IllegalStateException("unreadable pod list: " + e.getMessage(), e);
              }
            });
  }

  private URI podsUri(String serviceName) throws IOException {
    String host = System.getenv(settings.apiServiceHostEnvName());
    String port = System.getenv(settings.apiServicePortEnvName());
    if (host == null || port == null) {
      throw new IllegalStateException(
          "the Kubernetes API is unknown: "
              + settings.apiServiceHostEnvName()
              + " and "
              + settings.apiServicePortEnvName()
              + " are not set");
    }
    String selector =
        URLEncoder.encode(settings.podLabelSelector(serviceName), StandardCharsets.UTF_8);
    String hostPart = host.contains(":") ? "[" + host + "]" : host; // IPv6
    return URI.create(
        "https://"
            + hostPart
            + ":"
            + port
            + "/api/v1/namespaces/"
            + namespace()
            + "/pods?labelSelector="
            + selector);
  }

  private String namespace() throws IOException {
    var configured = OptionConverters.toJava(settings.podNamespace());
    if (configured.isPresent()) {
      return configured.get();
    }
    Path file = Path.of(settings.podNamespacePath());
    return Files.exists(file) ? Files.readString(file).trim() : "default";
  }

  /** TLS that trusts the API server's CA (the pod's service-account ca.crt). */
  static SSLContext trusting(Path caFile) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      if (Files.exists(caFile)) {
        try (InputStream in = Files.newInputStream(caFile)) {
          int i = 0;
          for (Certificate cert :
              CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trust.setCertificateEntry("ca-" + i++, cert);
          }
        }
      }
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the API server CA " + caFile + ": " + e, e);
    }
  }
}
