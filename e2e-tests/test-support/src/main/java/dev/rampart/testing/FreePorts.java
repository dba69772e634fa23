package dev.rampart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Ports on loopback addresses for real servers started by tests. */
public final class FreePorts {
  private FreePorts() {}

  /** Every port handed out in this JVM: the kernel may offer a just-closed port again. */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  /**
   * A port free on host now and never handed out before in this JVM, so that two calls for one
   * server (say a broker's and its controller's listener) never get the same port.
   */
  public static synchronized int on(String host) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = bindAny(host);
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no port on " + host + " that was not handed out before");
  }

  private static int bindAny(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /** True once something accepts TCP connections at host:port. */
  public static boolean isListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Duration.ofMillis(500).toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
