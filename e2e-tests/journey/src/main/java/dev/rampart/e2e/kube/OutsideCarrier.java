package dev.rampart.e2e.kube;

import dev.rampart.e2e.journey.LocalJwtIssuer;
import dev.rampart.e2e.pods.LocalImages;
import dev.rampart.testing.FreePorts;
import dev.rampart.testing.ManagedProcess;
import dev.rampart.testing.RepoPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The third-party carrier, outside the cluster: the carrier simulator as a JVM of its own on
 * 127.0.0.1 (no pod, no wall around it), which the system declares as its {@code carrier} egress,
 * and the way its webhooks come back in, as a partner through the gateway's public port. That way
 * is a TCP forwarder on a fixed address to whichever gateway pod is Ready at each connection (the
 * stand-in of a load balancer in front of the ingress): gateway pods come and go during the
 * journey, the simulator's webhook base stays.
 */
final class OutsideCarrier implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final int port = FreePorts.on(HOST);
  private final ServerSocket ingress;
  private final Supplier<URI> gateway;
  private ManagedProcess simulator;
  private volatile boolean closed;

  OutsideCarrier(Supplier<URI> gateway) {
    this.gateway = gateway;
    try {
      ingress = new ServerSocket();
      ingress.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "carrier-ingress");
    accept.setDaemon(true);
    accept.start();
  }

  /** The carrier's API, as the system's egress names it. */
  URI baseUrl() {
    return URI.create("http://" + HOST + ":" + port);
  }

  /** Where the carrier's webhooks enter: the gateway's public port, through the forwarder. */
  URI webhookBase() {
    return URI.create("http://" + HOST + ":" + ingress.getLocalPort());
  }

  /** Starts the simulator, its webhooks signed with a partner token of {@code issuer}'s. */
  void start(LocalJwtIssuer issuer, Path logDir) {
    var launch =
        LocalImages.launchOf(RepoPaths.root().resolve("services/carrier-simulator"))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "services/carrier-simulator is not built (target/runtime.classpath)"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx96m");
    command.addAll(List.of("-cp", launch.classpath(), launch.mainClass()));
    simulator =
        ManagedProcess.start(
            "carrier-simulator",
            command,
            Map.of(
                "CARRIER_HOST", HOST,
                "CARRIER_PORT", Integer.toString(port),
                "CARRIER_WEBHOOK_BASE", webhookBase().toString(),
                "CARRIER_WEBHOOK_TOKEN", issuer.partnerToken("carrier-simulator")),
            logDir.resolve("carrier-simulator.log"));
  }

  String logTail() {
    return simulator == null ? "(not started)" : simulator.logTail(25);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket in = ingress.accept();
        URI target;
        try {
          target = gateway.get();
        } catch (RuntimeException noGateway) {
          in.close(); // the simulator retries
          continue;
        }
        Socket out = new Socket(target.getHost(), target.getPort());
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ignored) {
                // the other side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "carrier-ingress-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(ingress);
    if (simulator != null) {
      simulator.close();
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
