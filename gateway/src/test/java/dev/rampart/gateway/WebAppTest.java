package dev.rampart.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app the gateway serves at {@code /}: its headers (CSP, caching, nosniff), revalidation,
 * 404 for anything that is not one of its assets (no path leaves the asset map), and the API still
 * closed without a token. Real gateway on loopback, JDK client and raw sockets.
 */
class WebAppTest {
  static final Pattern ASSET = Pattern.compile("\"(/app/([0-9a-f]{16})/[a-z0-9.-]+)\"");
  static final Pattern IMPORT = Pattern.compile("from '\\./([a-z0-9-]+\\.js)'");
  static GatewayHarness h;
  static GatewayHarness dev;
  static GatewayHarness off;
  static String version;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(c -> c);
    dev =
        new GatewayHarness(
            c ->
                c.with(
                    x ->
                        x.webApp =
                            new GatewayConfig.WebAppSettings(
                                true, Optional.of(URI.create("http://127.0.0.1:8499/dev/token")))));
    off =
        new GatewayHarness(
            c -> c.with(x -> x.webApp = new GatewayConfig.WebAppSettings(false, Optional.empty())));
    Matcher m = ASSET.matcher(h.get("/", null).body());
    assertThat(m.find()).as("the page names its assets").isTrue();
    version = m.group(2);
  }

  @AfterAll
  static void stop() {
    for (GatewayHarness g : new GatewayHarness[] {h, dev, off}) if (g != null) g.close();
  }

  @Test
  void thePageIsPublicRevalidatedAndUnderAStrictPolicy() {
    HttpResponse<String> page = h.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=UTF-8");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    List<String> csp = directives(page);
    assertThat(csp)
        .contains(
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'");
    assertThat(String.join(";", csp)).doesNotContain("unsafe", "data:", "*");
    // nothing inline the policy would have to allow: no script or style without a file, no
    // style attribute, no event handler attribute
    assertThat(page.body())
        .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
        .doesNotContain("<style", " style=")
        .doesNotContainPattern("\\son[a-z]+=");
    // no dev issuer configured: the sign-in takes a pasted token
    assertThat(page.body()).contains("<meta name=\"rampart-dev-token-url\" content=\"\">");

    String etag = page.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again =
        h.send(h.request("/", null).header("If-None-Match", etag).GET().build());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("Cache-Control")).contains("no-cache");
    HttpResponse<String> stale =
        h.send(h.request("/", null).header("If-None-Match", "\"other\"").GET().build());
    assertThat(stale.statusCode()).isEqualTo(200);
  }

  @Test
  void everyAssetThePageAndItsModulesNameIsImmutableUnderTheContentsVersion() {
    Set<String> paths = new LinkedHashSet<>();
    Matcher m = ASSET.matcher(h.get("/", null).body());
    while (m.find()) paths.add(m.group(1));
    List<String> queue = new ArrayList<>(paths);
    for (int i = 0; i < queue.size(); i++) {
      String path = queue.get(i);
      HttpResponse<String> asset = h.get(path, null);
      assertThat(asset.statusCode()).as(path).isEqualTo(200);
      assertThat(asset.headers().firstValue("Cache-Control"))
          .as(path)
          .contains("public, max-age=31536000, immutable");
      assertThat(asset.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      String type = asset.headers().firstValue("Content-Type").orElse("");
      if (path.endsWith(".js")) {
        assertThat(type).as(path).isEqualTo("application/javascript; charset=UTF-8");
        Matcher imports = IMPORT.matcher(asset.body());
        while (imports.find()) {
          String imported = "/app/" + version + "/" + imports.group(1);
          if (paths.add(imported)) queue.add(imported);
        }
      } else if (path.endsWith(".css")) {
        assertThat(type).as(path).isEqualTo("text/css; charset=UTF-8");
      } else {
        assertThat(type).as(path).isEqualTo("image/svg+xml");
      }
    }
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "/app/" + version + "/app.css",
            "/app/" + version + "/icon.svg",
            "/app/" + version + "/app.js",
            "/app/" + version + "/api.js",
            "/app/" + version + "/live.js",
            "/app/" + version + "/orders.js");
    // the version names the contents: the same assets give the same version on every pod
    assertThat(new WebApp(GatewayConfig.WebAppSettings.DEFAULT).version()).isEqualTo(version);
  }

  @Test
  void anythingButAnAssetOfThisVersionIs404() {
    for (String path :
        List.of(
            "/app/" + version + "/nope.js",
            "/app/" + version + "/",
            "/app/" + version,
            "/app/",
            "/app/0123456789abcdef/app.js",
            // files of web/ that are not assets, and the gateway's own resources
            "/app/" + version + "/index.html",
            "/app/" + version + "/assets.list",
            "/app/" + version + "/application.conf",
            "/index.html",
            "/app.js")) {
      HttpResponse<String> r = h.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    }
  }

  @Test
  void noPathReachesAFileOutsideTheAssets() throws IOException {
    String conf = h.get("/openapi.json", null).body();
    assertThat(conf).contains("\"openapi\"");
    for (String target :
        List.of(
            "/app/" + version + "/..%2F..%2Fopenapi.json",
            "/app/" + version + "/%2e%2e%2f%2e%2e%2fopenapi.json",
            "/app/" + version + "/..%2Fapplication.conf",
            "/app/" + version + "/..%5Capplication.conf",
            "/app/" + version + "/%2Fweb%2Fapp.js",
            "/app/" + version + "/app.js%00.css",
            "/app/" + version + "/..;/application.conf",
            "/app/" + version + "/.%2e/.%2e/dev/rampart/gateway/Main.class")) {
      String response =
          raw(h, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String status = response.substring(0, response.indexOf("\r\n"));
      assertThat(status).as(target).matches("HTTP/1.1 (400|404) .*");
      assertThat(response)
          .as(target)
          .doesNotContain("\"openapi\"", "akka {", "rampart.gateway", "export ");
    }
    // dot segments are resolved before anything looks at the path: out of the app's paths, the
    // path is what it resolves to, authenticated like any API call
    for (String target :
        List.of("/app/" + version + "/../../api/users/alice", "/app/%2e%2e/api/orders/o-1")) {
      String resolved =
          raw(h, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(resolved).as(target).startsWith("HTTP/1.1 401 ");
    }
  }

  @Test
  void theApiStaysClosedWithoutAToken() {
    assertThat(h.get("/api/users/alice", null).statusCode()).isEqualTo(401);
    assertThat(h.post("/api/orders", null, GatewayHarness.order("o-1", "book")).statusCode())
        .isEqualTo(401);
    assertThat(h.get("/api/orders/o-1", "not-a-token").statusCode()).isEqualTo(401);
    // the page ignores a token (it is the same for everyone), so a bad one does not break it
    assertThat(h.get("/", "not-a-token").statusCode()).isEqualTo(200);
    HttpResponse<String> basic =
        h.send(h.request("/", null).header("Authorization", "Basic eDp5").GET().build());
    assertThat(basic.statusCode()).isEqualTo(200);
    // other methods on the app's paths are not served
    HttpResponse<String> post =
        h.send(h.request("/", null).POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aDevTokenIssuerJoinsConnectSrcAndThePage() {
    HttpResponse<String> page = dev.get("/", null);
    assertThat(directives(page)).contains("connect-src 'self' http://127.0.0.1:8499");
    assertThat(page.body())
        .contains(
            "<meta name=\"rampart-dev-token-url\" content=\"http://127.0.0.1:8499/dev/token\">");
    assertThat(
            new GatewayConfig.WebAppSettings(true, Optional.empty())
                .equals(GatewayConfig.WebAppSettings.DEFAULT))
        .isTrue();
  }

  @Test
  void switchedOffTheAppIsNotServed() {
    assertThat(off.get("/", null).statusCode()).isEqualTo(404);
    assertThat(off.get("/app/" + version + "/app.js", null).statusCode()).isEqualTo(404);
    assertThat(off.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  private static List<String> directives(HttpResponse<String> r) {
    return List.of(r.headers().firstValue("Content-Security-Policy").orElse("").split(";")).stream()
        .map(String::trim)
        .toList();
  }

  /** A request as sent, byte for byte (the JDK client would normalise or refuse some paths). */
  private static String raw(GatewayHarness g, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", g.gateway.port()), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
