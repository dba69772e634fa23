package dev.rampart.contract;

import java.util.Map;
import java.util.Optional;

/**
 * Where a pod's servers listen besides its pod IP: {@code localhost} of the pod's network
 * namespace, which is where {@code kubectl port-forward} connects (and a sidecar, or {@code curl}
 * in {@code kubectl exec}). The gRPC, HTTP and management servers bind both; Akka remoting binds
 * and advertises the pod IP only.
 *
 * <p>The address is {@link Env#LOCALHOST} when set, else {@value #DEFAULT} when the pod IP is not a
 * loopback address (a real pod, with a network namespace of its own). A loopback pod IP means the
 * process shares one loopback with others (local runs, tests, the e2e's process pods, each on its
 * own 127.x.y.z): binding 127.0.0.1 there would collide, so there is no extra address unless the
 * runner gives each such pod a distinct one in {@link Env#LOCALHOST}. Pure.
 */
public final class Localhost {
  public static final String DEFAULT = "127.0.0.1";

  private Localhost() {}

  /** The extra address to bind, or empty when the pod IP already is it or there is none. */
  public static Optional<String> extraBind(Map<String, String> env) {
    String podIp = trimmed(env.get(Env.POD_IP));
    String explicit = trimmed(env.get(Env.LOCALHOST));
    String localhost;
    if (explicit != null) {
      localhost = explicit;
    } else if (podIp == null || isLoopback(podIp)) {
      return Optional.empty();
    } else {
      localhost = DEFAULT;
    }
    return localhost.equals(podIp) ? Optional.empty() : Optional.of(localhost);
  }

  static boolean isLoopback(String ip) {
    return ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1");
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
