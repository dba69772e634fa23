package dev.rampart.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A third-party parcel carrier, played for the local system and the tests. {@code POST
 * /v1/bookings} with {@code {"shipmentId": ..., "country": ...}} books a parcel (idempotent on the
 * shipment id: 201 the first time, 200 with the same booking after) and answers {@code {shipmentId,
 * carrier, trackingCode}}; {@code GET /v1/bookings/{id}} reads one back, {@code GET
 * /v1/bookings/{id}/events} lists its webhook attempts and their answers; {@code DELETE
 * /v1/bookings/{id}} cancels a booking (200 with it marked cancelled, again 200: idempotent; 404
 * unknown) and stops its webhooks; {@code GET /healthz}. Each new booking's progress is then
 * reported by webhooks ({@link WebhookSender}, {@link ParcelJourney}) when a webhook base is set.
 */
public final class CarrierSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CarrierSimulator.class);
  static final String CARRIER = "SIMULATED-CARRIER";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  record Booking(String shipmentId, String carrier, String trackingCode, boolean cancelled) {}

  private final SimulatorSettings settings;
  private final HttpServer server;
  private final ScheduledExecutorService scheduler;
  private final Optional<WebhookSender> webhooks;
  private final Map<String, Booking> bookings = new ConcurrentHashMap<>();
  private final Random random;
  private final ObjectMapper json = new ObjectMapper();

  private CarrierSimulator(SimulatorSettings settings) throws IOException {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.scheduler = Executors.newScheduledThreadPool(2);
    this.webhooks =
        settings
            .webhookBase()
            .map(base -> new WebhookSender(base, settings.webhookToken(), scheduler));
    this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/bookings", this::bookings);
    server.createContext("/healthz", exchange -> respond(exchange, 200, Map.of("status", "ok")));
    server.start();
    log.info(
        "Carrier simulator on {}:{}, webhooks to {}",
        settings.host(),
        port(),
        settings.webhookBase().map(Object::toString).orElse("(none)"));
  }

  public static CarrierSimulator start(Map<String, String> env) throws IOException {
    return new CarrierSimulator(SimulatorSettings.fromEnv(env));
  }

  public static void main(String[] args) throws IOException {
    CarrierSimulator simulator = start(System.getenv());
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "carrier-simulator-stop"));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Webhook attempts answered so far (empty without a webhook base). */
  List<WebhookSender.Delivery> deliveries() {
    return webhooks.map(WebhookSender::deliveries).orElse(List.of());
  }

  private void bookings(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v1/bookings") && exchange.getRequestMethod().equals("POST")) {
        book(exchange);
      } else if (path.startsWith("/v1/bookings/")
          && path.endsWith("/events")
          && exchange.getRequestMethod().equals("GET")) {
        // the parcel's timeline as the carrier lived it: each webhook attempt and its answer
        String id = path.substring("/v1/bookings/".length(), path.length() - "/events".length());
        if (!bookings.containsKey(id)) {
          respond(exchange, 404, Map.of("error", "no such booking"));
        } else {
          respond(
              exchange, 200, deliveries().stream().filter(d -> d.shipmentId().equals(id)).toList());
        }
      } else if (path.startsWith("/v1/bookings/") && exchange.getRequestMethod().equals("DELETE")) {
        Booking booking =
            bookings.computeIfPresent(
                path.substring("/v1/bookings/".length()),
                (id, b) -> new Booking(id, b.carrier(), b.trackingCode(), true));
        if (booking == null) {
          respond(exchange, 404, Map.of("error", "no such booking"));
        } else {
          webhooks.ifPresent(sender -> sender.cancel(booking.shipmentId()));
          log.info("Cancelled {}", booking.shipmentId());
          respond(exchange, 200, booking);
        }
      } else if (path.startsWith("/v1/bookings/") && exchange.getRequestMethod().equals("GET")) {
        Booking booking = bookings.get(path.substring("/v1/bookings/".length()));
        if (booking == null) {
          respond(exchange, 404, Map.of("error", "no such booking"));
        } else {
          respond(exchange, 200, booking);
        }
      } else {
        respond(exchange, 404, Map.of("error", "no such resource"));
      }
    }
  }

  private void book(HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = json.readTree(exchange.getRequestBody().readNBytes(16 * 1024));
    } catch (IOException e) {
      respond(exchange, 400, Map.of("error", "the body must be JSON"));
      return;
    }
    String shipmentId = body == null ? "" : body.path("shipmentId").asText("");
    if (!ID.matcher(shipmentId).matches()) {
      respond(
          exchange, 400, Map.of("error", "shipmentId must be 1..64 characters of [A-Za-z0-9_-]"));
      return;
    }
    boolean[] isNew = {false};
    Booking booking =
        bookings.computeIfAbsent(
            shipmentId,
            id -> {
              isNew[0] = true;
              String tracking;
              synchronized (random) {
                tracking =
                    "SC"
                        + String.format("%010d", Math.floorMod(random.nextLong(), 10_000_000_000L));
              }
              return new Booking(id, CARRIER, tracking, false);
            });
    if (isNew[0]) {
      log.info("Booked {} as {}", shipmentId, booking.trackingCode());
      webhooks.ifPresent(
          sender -> {
            List<ParcelJourney.Webhook> plan;
            synchronized (random) {
              plan = ParcelJourney.plan(booking.trackingCode(), Instant.now(), settings, random);
            }
            sender.schedule(shipmentId, plan);
          });
    }
    respond(exchange, isNew[0] ? 201 : 200, booking);
  }

  private void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    scheduler.shutdownNow();
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
