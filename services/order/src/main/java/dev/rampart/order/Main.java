package dev.rampart.order;

import dev.rampart.platform.ServiceRuntime;
import org.slf4j.LoggerFactory;

/** Starts an Order node from the environment (see README: the contract's variables). */
public final class Main {
  public static void main(String[] args) {
    ServiceRuntime runtime = ServiceRuntime.fromEnvironment(OrderNode.SERVICE);
    try {
      OrderNode.start(runtime);
    } catch (RuntimeException e) {
      // e.g. a peer without endpoints: say so and stop, rather than run half-wired
      LoggerFactory.getLogger(Main.class).error("Order node cannot start: {}", e.getMessage(), e);
      runtime.close();
      System.exit(1);
    }
  }

  private Main() {}
}
