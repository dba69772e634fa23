package dev.rampart.gateway;

import akka.NotUsed;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamException;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.contract.Probes;
import dev.rampart.proto.order.v1.GetOrderRequest;
import dev.rampart.proto.order.v1.OrderServiceClient;
import dev.rampart.proto.shipping.v1.ShippingServiceClient;
import dev.rampart.proto.user.v1.GetUserRequest;
import dev.rampart.proto.user.v1.UserServiceClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The gateway's routes: health, metrics, the OpenAPI document, and the REST/WebSocket/SSE API over
 * the User and Order services. Every answer that is not a success is an RFC 9457 problem, including
 * Akka's own rejections (unknown route, wrong method, ...).
 */
final class ApiRoutes extends AllDirectives {
  static final long BODY_READ_TIMEOUT_MILLIS = 5_000;
  static final int MAX_LAST_EVENT_ID = 128;
  static final String NOTIFICATIONS_SUBPROTOCOL = "rampart.notifications.v1";

  /** WebSocket close code when the token expires or its key is withdrawn (as HTTP 401). */
  static final int CLOSE_UNAUTHORIZED = StreamEnd.CLOSE_UNAUTHORIZED;

  /** When the pod holds all the streams it may, another pod (or this one later) may not. */
  static final int POD_FULL_RETRY_AFTER_SECONDS = 5;

  private final GatewayConfig config;
  // null when the routes do not mount users.v1 (orders.v1): then no route reaches it
  private final Upstream<UserServiceClient> users;
  private final Upstream<OrderServiceClient> orders;
  private final Upstream<ShippingServiceClient> shipping;
  private final NotificationRelay relay;
  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private final String openApi;
  private final WebApp webApp;
  private final JwtAuthenticator jwt;
  private final Duration keyCheck;
  private final CompletionStage<?> goingAway;
  private final Duration sseHeartbeat;

  /**
   * {@code keyCheck}: how often an open stream checks that its token's key is still trusted; {@code
   * goingAway}: completes when the gateway shuts down, which ends every stream; {@code
   * sseHeartbeat}: the longest an SSE stream stays silent (a comment line keeps it alive).
   */
  ApiRoutes(
      GatewayConfig config,
      Optional<Upstream<UserServiceClient>> users,
      Optional<Upstream<OrderServiceClient>> orders,
      Optional<Upstream<ShippingServiceClient>> shipping,
      GatewayMetrics metrics,
      BooleanSupplier ready,
      JwtAuthenticator jwt,
      Duration keyCheck,
      CompletionStage<?> goingAway,
      Duration sseHeartbeat) {
    this.jwt = jwt;
    this.keyCheck = keyCheck;
    this.goingAway = goingAway;
    this.sseHeartbeat = sseHeartbeat;
    this.config = config;
    this.users = users.orElse(null);
    this.orders = orders.orElse(null);
    this.shipping = shipping.orElse(null);
    this.relay =
        users
            .map(
                u ->
                    new NotificationRelay(
                        u,
                        new StreamSlots(
                            config.rateLimit().streamsPerSubject(),
                            config.rateLimit().streamsPerPod())))
            .orElse(null);
    this.metrics = metrics;
    this.ready = ready;
    this.openApi = OpenApiDocument.render(resource("/openapi.json"), config.routes());
    this.webApp = new WebApp(config.webApp());
  }

  /** Open WebSocket/SSE streams on this pod. */
  int openStreams() {
    return relay == null ? 0 : relay.openStreams();
  }

  Route route() {
    return handleExceptions(
        exceptions(),
        () ->
            handleRejections(
                rejections(),
                () ->
                    concat(
                        path(
                            Probes.GATEWAY_ALIVE.substring(1),
                            () -> get(() -> complete(json(200, "{\"status\":\"alive\"}")))),
                        path(
                            Probes.GATEWAY_READY.substring(1),
                            () ->
                                get(
                                    () ->
                                        ready.getAsBoolean()
                                            ? complete(json(200, "{\"status\":\"ready\"}"))
                                            : problem(
                                                Problem.of(
                                                    503,
                                                    "not-ready",
                                                    "Not ready",
                                                    "the gateway is starting or shutting down")))),
                        path(
                            Probes.METRICS.substring(1),
                            () ->
                                get(
                                    () ->
                                        complete(
                                            HttpResponse.create()
                                                .withEntity(
                                                    HttpEntities.create(
                                                        ContentTypes.TEXT_PLAIN_UTF8,
                                                        metrics.scrape()))))),
                        path("openapi.json", () -> get(() -> complete(json(200, openApi)))),
                        webApp.route(),
                        mountedApis())));
  }

  /** Each routed mapping at its prefix; a mapping no route mounts answers 404 like any path. */
  private Route mountedApis() {
    Route[] apis =
        config.routes().routes().stream()
            .map(
                r ->
                    pathPrefix(
                        PathMatchers.separateOnSlashes(r.prefix().substring(1)),
                        () ->
                            switch (r.api()) {
                              case USERS -> usersApi(r.prefix());
                              case ORDERS -> ordersApi(r.prefix());
                              case CARRIER -> carrierApi();
                            }))
            .toArray(Route[]::new);
    return apis.length == 0 ? reject() : concat(apis[0], Arrays.copyOfRange(apis, 1, apis.length));
  }

  // --- users.v1, e.g. at /api/users
  // -------------------------------------------------------------------------------------------

  private Route usersApi(String prefix) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                post(
                    () ->
                        caller(
                            caller ->
                                jsonBody(
                                    users,
                                    (rid, body) -> {
                                      var request = UserJson.registerRequest(body, caller.userId());
                                      return users
                                          .call(
                                              config.deadlines().write(),
                                              c -> rid.on(c.register()).invoke(request))
                                          .thenApply(
                                              u ->
                                                  created(
                                                      prefix + "/" + u.getUserId(),
                                                      UserJson.user(u)));
                                    })))),
        pathPrefix(
            PathMatchers.segment(),
            rawId ->
                concat(
                    pathEndOrSingleSlash(
                        () ->
                            get(
                                () ->
                                    ownUser(
                                        rawId,
                                        (rid, id) ->
                                            upstream(
                                                users,
                                                users
                                                    .call(
                                                        config.deadlines().read(),
                                                        c ->
                                                            rid.on(c.getUser())
                                                                .invoke(
                                                                    GetUserRequest.newBuilder()
                                                                        .setUserId(id)
                                                                        .build()))
                                                    .thenApply(
                                                        u ->
                                                            json(
                                                                200,
                                                                UserJson.user(u).toString())))))),
                    path(
                        "address",
                        () ->
                            put(
                                () ->
                                    ownUser(
                                        rawId,
                                        (rid, id) ->
                                            jsonBody(
                                                users,
                                                (rid2, body) -> {
                                                  var request =
                                                      UserJson.changeAddressRequest(body, id);
                                                  return users
                                                      .call(
                                                          config.deadlines().write(),
                                                          c ->
                                                              rid.on(c.changeAddress())
                                                                  .invoke(request))
                                                      .thenApply(
                                                          u ->
                                                              json(
                                                                  200,
                                                                  UserJson.user(u).toString()));
                                                })))),
                    path(
                        "notifications",
                        () -> get(() -> ownUser(rawId, this::notificationsWebSocket))),
                    path("events", () -> get(() -> ownUser(rawId, this::notificationEvents))))));
  }

  /**
   * Selects {@link #NOTIFICATIONS_SUBPROTOCOL} when offered (a browser that sends its token as the
   * {@code bearer.<token>} subprotocol must offer a real one, which is echoed); never the token.
   * Closes with {@value #CLOSE_UNAUTHORIZED} when the token expires or its key is withdrawn, 1001
   * when the gateway goes away. {@code ?after=<id>} resumes after that notification (an id is no
   * secret, unlike a token).
   */
  private Route notificationsWebSocket(UpstreamTags requestId, String userId) {
    return parameterOptional(
        "after",
        after ->
            after.isPresent() && !NotificationRelay.isNotificationId(userId, after.get())
                ? problem(
                    Problem.badRequest(
                        "after must be one of the caller's notification ids, <user id>:<n>"))
                : upstreamClosed(users)
                    .or(() -> tooManyStreams(userId))
                    .orElseGet(
                        () ->
                            streamEnd(
                                end ->
                                    extractActorSystem(
                                        system ->
                                            extractWebSocketUpgrade(
                                                upgrade -> {
                                                  Optional<String> protocol = Optional.empty();
                                                  for (String offered :
                                                      upgrade.getRequestedProtocols())
                                                    if (offered.equals(NOTIFICATIONS_SUBPROTOCOL))
                                                      protocol = Optional.of(offered);
                                                  return complete(
                                                      ClosingWebSocket.accept(
                                                          system.classicSystem(),
                                                          upgrade,
                                                          relay.webSocketMessages(
                                                              userId, requestId, after),
                                                          protocol,
                                                          end));
                                                })))));
  }

  /** Ends with an {@code end} event when the token expires or its key is withdrawn. */
  private Route notificationEvents(UpstreamTags requestId, String userId) {
    return upstreamClosed(users)
        .or(() -> tooManyStreams(userId))
        .orElseGet(
            () ->
                streamEnd(
                    end ->
                        optionalHeaderValueByName(
                            "Last-Event-ID",
                            lastId ->
                                completeOK(
                                    relay.serverSentEvents(
                                        userId,
                                        requestId,
                                        lastId.filter(
                                            v -> !v.isBlank() && v.length() <= MAX_LAST_EVENT_ID),
                                        end,
                                        sseHeartbeat),
                                    EventStreamMarshalling.toEventStream()))));
  }

  /** When the stream of this request's token must end (see {@link StreamEnd}). */
  private Route streamEnd(
      Function<akka.stream.javadsl.Source<StreamEnd.Ending, NotUsed>, Route> inner) {
    return extractRequest(
        req -> {
          var caller = req.getAttribute(EdgeHandler.CALLER).orElseThrow();
          String token = req.getAttribute(EdgeHandler.TOKEN).orElseThrow();
          return inner.apply(StreamEnd.of(jwt, token, caller.validUntil(), keyCheck, goingAway));
        });
  }

  // --- orders.v1, e.g. at /api/orders
  // ------------------------------------------------------------------------------------------

  private Route ordersApi(String prefix) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                post(
                    () ->
                        caller(
                            caller ->
                                jsonBody(
                                    orders,
                                    (rid, body) -> {
                                      var request =
                                          OrderJson.placeOrderRequest(body, caller.userId());
                                      return orders
                                          .call(
                                              config.deadlines().write(),
                                              c -> rid.on(c.placeOrder()).invoke(request))
                                          .thenApply(
                                              o ->
                                                  created(
                                                      prefix + "/" + o.getOrderId(),
                                                      OrderJson.order(o)));
                                    })))),
        path(
            PathMatchers.segment(),
            rawId ->
                get(
                    () ->
                        caller(
                            caller ->
                                requestId(
                                    rid -> {
                                      String id = FieldChecks.pathId("id", rawId);
                                      return upstream(
                                          orders,
                                          orders
                                              .call(
                                                  config.deadlines().read(),
                                                  c ->
                                                      rid.on(c.getOrder())
                                                          .invoke(
                                                              GetOrderRequest.newBuilder()
                                                                  .setOrderId(id)
                                                                  .build()))
                                              .thenApply(
                                                  o -> {
                                                    // another's order answers as a missing
                                                    // one
                                                    if (!o.getCustomerId().equals(caller.userId()))
                                                      throw UpstreamErrors.notFound().asException();
                                                    return json(200, OrderJson.order(o).toString());
                                                  }));
                                    })))));
  }

  // --- carrier.v1, e.g. at /api/carrier: a carrier's webhooks, partner tokens only
  // ---------------------------------------------------------------------------------------------

  private Route carrierApi() {
    return pathPrefix(
        "v1",
        () ->
            pathPrefix(
                "shipments",
                () ->
                    pathPrefix(
                        PathMatchers.segment(),
                        rawId ->
                            path(
                                "events",
                                () ->
                                    post(
                                        () ->
                                            partner(
                                                () ->
                                                    optionalHeaderValueByName(
                                                        "Idempotency-Key",
                                                        key -> carrierEvent(rawId, key))))))));
  }

  private Route carrierEvent(String rawId, Optional<String> idempotencyKey) {
    return jsonBody(
        shipping,
        (rid, body) -> {
          String id = FieldChecks.pathId("id", rawId);
          var request = CarrierJson.request(id, body, idempotencyKey);
          return shipping
              .call(config.deadlines().write(), c -> rid.on(c.recordCarrierEvent()).invoke(request))
              .thenApply(r -> json(CarrierJson.httpStatus(r), CarrierJson.response(r).toString()));
        });
  }

  /**
   * A partner's token with the partner scope, or 401 without a valid token, 403 with a customer's
   * token or a partner's without the scope.
   */
  private Route partner(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        req -> {
          var caller = req.getAttribute(EdgeHandler.CALLER);
          if (caller.isEmpty()) return problem(Problem.unauthorized("missing bearer token"));
          if (!caller.get().partner())
            return problem(Problem.forbidden("only partner tokens may post carrier events"));
          if (!caller.get().scopes().contains(config.partners().scope()))
            return problem(Problem.forbidden("the token lacks the scope for carrier events"));
          return inner.get();
        });
  }

  // --- building blocks
  // --------------------------------------------------------------------------------------

  /**
   * The authenticated customer, or 401 when the request carried no token; a partner's token is 403:
   * partners only post carrier events.
   */
  private Route caller(Function<JwtAuthenticator.Caller, Route> inner) {
    return extractRequest(
        req ->
            req.getAttribute(EdgeHandler.CALLER)
                .map(
                    c ->
                        c.partner()
                            ? problem(Problem.forbidden("partner tokens are for carrier events"))
                            : inner.apply(c))
                .orElseGet(() -> problem(Problem.unauthorized("missing bearer token"))));
  }

  private Route requestId(Function<UpstreamTags, Route> inner) {
    return extractRequest(
        req ->
            inner.apply(
                new UpstreamTags(
                    req.getAttribute(EdgeHandler.REQUEST_ID).orElse(""),
                    req.getAttribute(EdgeHandler.TRACE)
                        .orElseGet(
                            () ->
                                new EdgeHandler.Trace(
                                    dev.rampart.contract.TraceContext.start(),
                                    Optional.empty())))));
  }

  /** A user's own resource: the path id must be valid (400) and the caller's (403). */
  private Route ownUser(String rawId, BiFunction<UpstreamTags, String, Route> inner) {
    return caller(
        caller ->
            requestId(
                rid -> {
                  String id = FieldChecks.pathId("id", rawId);
                  if (!id.equals(caller.userId()))
                    return problem(Problem.forbidden("a user may only access their own data"));
                  return inner.apply(rid, id);
                }));
  }

  /**
   * A JSON object body within the size limit (413), of type application/json (415), well-formed
   * (400).
   */
  private Route jsonBody(
      Upstream<?> upstream,
      BiFunction<UpstreamTags, ObjectNode, CompletionStage<HttpResponse>> handler) {
    return requestId(
        rid ->
            extractRequest(
                req ->
                    extractMaterializer(
                        mat -> {
                          HttpEntity entity = req.entity();
                          if (!entity
                              .getContentType()
                              .mediaType()
                              .equals(MediaTypes.APPLICATION_JSON))
                            return problem(
                                Problem.of(
                                    415,
                                    "unsupported-media-type",
                                    "Unsupported media type",
                                    "the body must be application/json"));
                          CompletionStage<HttpResponse> response =
                              readBody(entity, mat)
                                  .thenCompose(
                                      bytes -> handler.apply(rid, JsonBody.parseObject(bytes)));
                          return upstream(upstream, response);
                        })));
  }

  private CompletionStage<byte[]> readBody(HttpEntity entity, Materializer mat) {
    CompletionStage<HttpEntity.Strict> strict;
    try {
      strict = entity.toStrict(BODY_READ_TIMEOUT_MILLIS, config.maxBodyBytes(), mat);
    } catch (RuntimeException e) {
      strict = CompletableFuture.failedFuture(e);
    }
    return strict.handle(
        (s, failure) -> {
          if (failure == null) return s.getData().toArray();
          Throwable t = UpstreamErrors.unwrap(failure);
          if (isTooLarge(t))
            throw Problem.of(
                    413,
                    "payload-too-large",
                    "Payload too large",
                    "the body exceeds " + config.maxBodyBytes() + " bytes")
                .asException();
          if (t instanceof TimeoutException)
            throw Problem.of(
                    408, "request-timeout", "Request timeout", "the body did not arrive in time")
                .asException();
          throw Problem.badRequest("the request body could not be read").asException();
        });
  }

  /**
   * Akka reports an over-limit body as EntityStreamSizeException or (strict bodies) an
   * EntityStreamException.
   */
  private static boolean isTooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EntityStreamSizeException) return true;
      if (c instanceof EntityStreamException e
          && e.info().summary().startsWith("Request too large")) return true;
    }
    return false;
  }

  /** Completes with an upstream call's response, or its failure as a problem. */
  private Route upstream(Upstream<?> upstream, CompletionStage<HttpResponse> response) {
    return extractUri(
        uri ->
            completeWithFuture(
                response.exceptionally(
                    t -> UpstreamErrors.toProblem(upstream.name, t).toResponse(uri.path()))));
  }

  private Optional<Route> tooManyStreams(String userId) {
    if (relay.podFull())
      return Optional.of(
          problem(
              Problem.of(
                      429,
                      "too-many-streams",
                      "Too many open streams",
                      "this gateway holds all the streams it may; retry later")
                  .withHeader(
                      akka.http.javadsl.model.headers.RawHeader.create(
                          "Retry-After", String.valueOf(POD_FULL_RETRY_AFTER_SECONDS)))));
    return relay.full(userId)
        ? Optional.of(
            problem(
                Problem.of(
                    429,
                    "too-many-streams",
                    "Too many open streams",
                    "close one of your open streams before opening another")))
        : Optional.empty();
  }

  private Optional<Route> upstreamClosed(Upstream<?> upstream) {
    return upstream.isOpen()
        ? Optional.of(
            problem(
                UpstreamErrors.toProblem(
                    upstream.name,
                    new akka.pattern.CircuitBreakerOpenException(
                        scala.concurrent.duration.FiniteDuration.create(
                            1, java.util.concurrent.TimeUnit.SECONDS),
                        "open"))))
        : Optional.empty();
  }

  private Route problem(Problem p) {
    return extractUri(uri -> complete(p.toResponse(uri.path())));
  }

  static HttpResponse json(int status, String body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  private static HttpResponse created(String location, ObjectNode body) {
    return json(201, body.toString()).addHeader(Location.create(location));
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(Problem.ProblemException.class, e -> problem(e.problem()))
        .match(IllegalArgumentException.class, e -> problem(Problem.badRequest("invalid request")))
        .build();
  }

  /** Akka's default rejection answers (404, 405, 400, 413, ...) re-rendered as problems. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            resp -> {
              if (resp.entity().getContentType().equals(Problem.PROBLEM_JSON)) return resp;
              int status = resp.status().intValue();
              String text =
                  resp.entity() instanceof HttpEntity.Strict s ? s.getData().utf8String() : "";
              Problem p =
                  status == 404
                      ? Problem.of(404, "unknown-route", "Not found", "no such route")
                      : Problem.of(
                          status,
                          "http-" + status,
                          resp.status().reason(),
                          text.length() > 300 ? text.substring(0, 300) : text);
              HttpResponse out = p.toResponse(null);
              for (var h : resp.getHeaders()) out = out.addHeader(h);
              return out;
            });
  }

  private static String resource(String name) {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For tests and the server: the request-level handler of these routes. */
  akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      akka.actor.ClassicActorSystemProvider system) {
    return route().handler(system);
  }
}
