package dev.rampart.gateway;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.EntityTag;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import dev.rampart.contract.HttpApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The browser client, served from the classpath ({@code web/}): the page at {@code /} and its
 * assets at {@code /app/<version>/<name>}, the version being a hash of every asset, so an asset's
 * URL names its content and may be cached for good, while the page is revalidated (ETag) on every
 * load. Only the files {@code web/assets.list} names are loaded, once, at start: a request names a
 * key of that map, never a file, so no path can reach anything else. Strict CSP: scripts and styles
 * from this origin only, nothing inline, fetch/WebSocket to this origin (and the development token
 * issuer, when one is configured), no framing.
 */
final class WebApp extends AllDirectives {
  static final String RESOURCES = "/web/";
  static final String PAGE_TEMPLATE = "index.html";
  static final String ASSET_LIST = "assets.list";
  static final String PAGE_CACHE = "no-cache";
  static final String ASSET_CACHE = "public, max-age=31536000, immutable";
  static final String REFERRER_POLICY = "no-referrer";

  private record Asset(byte[] bytes, ContentType type) {}

  private final GatewayConfig.WebAppSettings settings;
  private final Map<String, Asset> assets;
  private final String version;
  private final byte[] page;
  private final EntityTag pageTag;
  private final List<HttpHeader> securityHeaders;

  WebApp(GatewayConfig.WebAppSettings settings) {
    this.settings = settings;
    Map<String, Asset> loaded = new LinkedHashMap<>();
    MessageDigest digest = sha256();
    for (String name : resource(ASSET_LIST).lines().map(String::trim).toList()) {
      if (name.isEmpty() || name.startsWith("#")) continue;
      byte[] bytes = bytes(name);
      loaded.put(name, new Asset(bytes, contentType(name)));
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(bytes);
    }
    this.assets = Map.copyOf(loaded);
    this.version = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    this.page =
        resource(PAGE_TEMPLATE)
            .replace("@ASSETS@", HttpApi.WEB_ASSETS_PREFIX + "/" + version)
            .replace(
                "@DEV_TOKEN_URL@", settings.devTokenUrl().map(u -> html(u.toString())).orElse(""))
            .getBytes(StandardCharsets.UTF_8);
    this.pageTag =
        EntityTag.create(HexFormat.of().formatHex(sha256().digest(page)).substring(0, 32), false);
    this.securityHeaders =
        List.of(
            RawHeader.create("Content-Security-Policy", contentSecurityPolicy(settings)),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", REFERRER_POLICY),
            RawHeader.create("Cross-Origin-Opener-Policy", "same-origin"),
            RawHeader.create("Cross-Origin-Resource-Policy", "same-origin"));
  }

  /** Nothing but this origin (and the dev issuer, for fetch), nothing inline, never framed. */
  static String contentSecurityPolicy(GatewayConfig.WebAppSettings settings) {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'"
        + settings.devTokenOrigin().map(o -> " " + o).orElse("")
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none';"
        + " require-trusted-types-for 'script'";
  }

  /** The version in the assets' paths: changes whenever any asset does. */
  String version() {
    return version;
  }

  /** The page and the assets, or nothing at all when the app is switched off. */
  Route route() {
    if (!settings.enabled()) return reject();
    return concat(
        pathSingleSlash(
            () ->
                get(
                    () ->
                        respondWithHeaders(
                            withCache(PAGE_CACHE),
                            () ->
                                conditional(
                                    pageTag,
                                    () ->
                                        complete(
                                            HttpResponse.create()
                                                .withEntity(ContentTypes.TEXT_HTML_UTF8, page)))))),
        pathPrefix(
            HttpApi.WEB_ASSETS_PREFIX.substring(1),
            () ->
                pathPrefix(
                    version,
                    () ->
                        path(
                            PathMatchers.segment(),
                            name ->
                                get(
                                    () ->
                                        Optional.ofNullable(assets.get(name))
                                            .map(
                                                a ->
                                                    respondWithHeaders(
                                                        withCache(ASSET_CACHE),
                                                        () ->
                                                            complete(
                                                                HttpResponse.create()
                                                                    .withEntity(
                                                                        a.type(), a.bytes()))))
                                            .orElseGet(this::reject))))));
  }

  private List<HttpHeader> withCache(String cacheControl) {
    List<HttpHeader> headers = new java.util.ArrayList<>(securityHeaders);
    headers.add(RawHeader.create("Cache-Control", cacheControl));
    return headers;
  }

  private static ContentType contentType(String name) {
    if (name.endsWith(".js"))
      return ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8);
    if (name.endsWith(".css")) return ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);
    if (name.endsWith(".svg")) return ContentTypes.create(MediaTypes.IMAGE_SVG_XML);
    throw new IllegalStateException("web asset of no known type: " + name);
  }

  private static String html(String text) {
    return text.replace("&", "&amp;")
        .replace("\"", "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) {
    if (!name.matches("[a-z0-9-]+\\.[a-z]+"))
      throw new IllegalStateException("web asset names are plain file names: " + name);
    try (InputStream in = WebApp.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) throw new IllegalStateException("missing classpath resource web/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
