package dev.rampart.e2e.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local system's sign-in for the browser, development only: {@code POST /dev/token} with {@code
 * {"user": "<id>"}} answers a customer access token for that user, signed by {@link
 * LocalJwtIssuer}, with CORS for the gateway's origin only (the page is served there). Anyone who
 * can reach it can be anyone, which is why it runs only in the local system on a loopback address
 * and no cluster has it: the gateway's web app uses it only when {@code RAMPART_WEB_DEV_TOKEN_URL}
 * names it.
 */
public final class LocalDevTokens implements AutoCloseable {
  public static final String PATH = "/dev/token";
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_BODY = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String allowedOrigin;

  private LocalDevTokens(HttpServer server, String allowedOrigin) {
    this.server = server;
    this.allowedOrigin = allowedOrigin;
  }

  /** Serves on {@code host:port} (a loopback address), for pages of {@code allowedOrigin}. */
  public static LocalDevTokens start(
      String host, int port, LocalJwtIssuer issuer, String allowedOrigin) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      LocalDevTokens tokens = new LocalDevTokens(server, allowedOrigin);
      server.createContext(PATH, exchange -> tokens.handle(exchange, issuer));
      server.start();
      return tokens;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + PATH);
  }

  private void handle(HttpExchange exchange, LocalJwtIssuer issuer) throws IOException {
    try (exchange) {
      var headers = exchange.getResponseHeaders();
      headers.set("Vary", "Origin");
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (allowedOrigin.equals(origin)) {
        headers.set("Access-Control-Allow-Origin", allowedOrigin);
        headers.set("Access-Control-Allow-Methods", "POST");
        headers.set("Access-Control-Allow-Headers", "Content-Type");
        headers.set("Access-Control-Max-Age", "600");
      }
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        answer(exchange, 404, Map.of("title", "Not found"));
      } else if (exchange.getRequestMethod().equals("OPTIONS")) {
        exchange.sendResponseHeaders(204, -1);
      } else if (!exchange.getRequestMethod().equals("POST")) {
        headers.set("Allow", "POST, OPTIONS");
        answer(exchange, 405, Map.of("title", "Method not allowed"));
      } else {
        String user = user(exchange.getRequestBody());
        if (user == null) {
          answer(
              exchange, 400, Map.of("title", "Bad request", "detail", "user: [A-Za-z0-9_-]{1,64}"));
        } else {
          answer(
              exchange,
              200,
              Map.of("token", issuer.tokenFor(user), "tokenType", "Bearer", "expiresIn", 3600));
        }
      }
    }
  }

  private static String user(InputStream body) {
    try {
      byte[] bytes = body.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) return null;
      JsonNode user = JSON.readTree(bytes).path("user");
      return user.isTextual() && USER_ID.matcher(user.asText()).matches() ? user.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void answer(HttpExchange exchange, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
