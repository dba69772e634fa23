package dev.rampart.e2e.pods;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A container for the runner's tests: serves /ready, /alive and /whoami on $POD_IP:8080; /whoami
 * reports its env and what the API server answers to its mounted ServiceAccount token (pods list,
 * secrets list). {@code STARTUP_DELAY_MS}: /alive answers 503 until the process is that old (a slow
 * start). {@code SHUTDOWN_MS}: on SIGTERM it takes that long to stop, then logs {@value
 * #STOPPED_GRACEFULLY} (a slow coordinated shutdown).
 */
public final class PodProbeApp {
  private static final String SA = "/var/run/secrets/kubernetes.io/serviceaccount";

  static final String STOPPED_GRACEFULLY = "stopped gracefully";

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    long startupDelayMs = Long.parseLong(envOr("STARTUP_DELAY_MS", "0"));
    long shutdownMs = Long.parseLong(envOr("SHUTDOWN_MS", "0"));
    HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv("POD_IP"), 8080), 0);
    server.createContext(
        "/alive",
        exchange -> {
          boolean serving = (System.nanoTime() - started) / 1_000_000 >= startupDelayMs;
          exchange.sendResponseHeaders(serving ? 200 : 503, -1);
          exchange.close();
        });
    if (shutdownMs > 0) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(shutdownMs); // the work a real shutdown does (leaving, hand-off)
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    System.out.println(STOPPED_GRACEFULLY);
                    System.out.flush();
                  }));
    }
    server.createContext(
        "/ready",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/whoami",
        exchange -> {
          String body;
          try {
            String namespace = Files.readString(Path.of(SA, "namespace"));
            body =
                "POD_NAME="
                    + System.getenv("POD_NAME")
                    + "\nPOD_IP="
                    + System.getenv("POD_IP")
                    + "\nSECRET="
                    + System.getenv("GREETING")
                    + "\nEXPANDED="
                    + System.getenv("EXPANDED")
                    + "\nARGS="
                    + String.join(" ", args)
                    + "\nFILE="
                    + Files.readString(Path.of("/etc/rampart-probe/greeting.txt"))
                    + "\nNAMESPACE="
                    + namespace
                    + "\nPODS="
                    + apiStatus("/api/v1/namespaces/" + namespace + "/pods")
                    + "\nSECRETS="
                    + apiStatus("/api/v1/namespaces/" + namespace + "/secrets")
                    + "\n";
          } catch (Exception e) {
            body = "ERROR=" + e + "\n";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  private static int apiStatus(String path) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(Path.of(SA, "ca.crt")))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
    String url =
        "https://"
            + System.getenv("KUBERNETES_SERVICE_HOST")
            + ":"
            + System.getenv("KUBERNETES_SERVICE_PORT")
            + path;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + Files.readString(Path.of(SA, "token")).trim())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
