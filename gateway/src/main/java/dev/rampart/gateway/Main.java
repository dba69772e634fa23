package dev.rampart.gateway;

import dev.rampart.contract.Localhost;
import dev.rampart.peers.CompletionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the gateway from the environment (see README) and runs until the JVM is told to stop. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // before Akka starts: its futures' completions must not each start a thread (CompletionPool)
    CompletionPool.configure();
    GatewayConfig config;
    GatewayServer server;
    try {
      config = GatewayConfig.fromEnv(System.getenv());
      server = GatewayServer.start(config, Localhost.extraBind(System.getenv()));
    } catch (RuntimeException e) {
      // a missing or malformed setting: say which and stop, rather than run half-wired
      log.error("gateway cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    log.info(
        "gateway listening on {}:{} (routes {})", server.host(), server.port(), config.routes());
    server.whenTerminated().toCompletableFuture().join();
  }
}
