package dev.rampart.e2e.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an outside client does with a Rampart system: HTTP/JSON and a WebSocket, through the gateway
 * only.
 */
public final class GatewayClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final Optional<String> host;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public GatewayClient(URI base) {
    this(base, Optional.empty());
  }

  /**
   * Sends {@code Host: host} to {@code base}: the route's hostname through a port-forward to the
   * Gateway API implementation, which routes by it (needs {@code
   * -Djdk.httpclient.allowRestrictedHeaders=host}).
   */
  public GatewayClient(URI base, Optional<String> host) {
    this.base = base;
    this.host = host;
  }

  public record Reply(int status, JsonNode body) {}

  public Reply send(String method, String path, String token, Object body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(15))
              .header("Accept", "application/json");
      host.ifPresent(h -> request.header("Host", h));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      if (body != null) {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      return new Reply(-1, JSON.getNodeFactory().textNode(e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens the user's notification WebSocket; received JSON messages queue up in the returned
   * handle.
   */
  public Notifications watch(String userId, String token) {
    Notifications notifications = new Notifications();
    URI ws =
        URI.create(base.toString().replaceFirst("^http", "ws"))
            .resolve("/api/users/" + userId + "/notifications");
    WebSocket.Builder builder =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .connectTimeout(Duration.ofSeconds(10));
    host.ifPresent(h -> builder.header("Host", h));
    builder.buildAsync(ws, notifications).join();
    return notifications;
  }

  /** A live WebSocket of notifications. */
  public static final class Notifications implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
      this.socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          received.add(JSON.getNodeFactory().textNode("unparseable: " + partial));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    /** Waits for a notification of the given kind; returns it, or null after the timeout. */
    public JsonNode await(String kind, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        JsonNode next = received.poll(left, TimeUnit.NANOSECONDS);
        if (next != null && kind.equals(next.path("kind").asText())) {
          return next;
        }
      }
      return null;
    }

    public List<JsonNode> drain() {
      List<JsonNode> all = new java.util.ArrayList<>();
      received.drainTo(all);
      return all;
    }

    public void close() {
      if (socket != null) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      }
    }
  }
}
