package dev.rampart.gateway;

import akka.NotUsed;
import akka.actor.ActorSystem;
import akka.http.impl.engine.ws.FrameHandler;
import akka.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import akka.http.impl.engine.ws.WebSocket$;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.http.scaladsl.settings.ServerSettings$;
import akka.http.scaladsl.settings.WebSocketSettings;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.util.Optional;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * A server-to-client WebSocket (client messages are ignored) that the server closes with a close
 * code of its choice (an application one, 4000-4999, or 1001 going away) and a reason when {@code
 * close} emits. Akka HTTP 10.5 has no API for a close code (akka/akka-http#2458: completing the
 * handler closes with 1000, failing it with 1011), so this assembles the layers of Akka's own
 * {@code WebSocket.stack} with one more under the message API, which passes Akka's internal
 * "actively close with code" event to the frame layer. If the upgrade is not Akka's low-level one,
 * the public API closes with 1000 instead.
 */
final class ClosingWebSocket {
  private static final FiniteDuration CLOSE_TIMEOUT = FiniteDuration.create(3, "seconds");

  private ClosingWebSocket() {}

  static HttpResponse accept(
      ActorSystem system,
      WebSocketUpgrade upgrade,
      Source<Message, NotUsed> out,
      Optional<String> protocol,
      Source<StreamEnd.Ending, NotUsed> close) {
    if (!(upgrade instanceof UpgradeToWebSocketLowLevel lowLevel)) {
      Source<Message, NotUsed> ending =
          out.map(Optional::of)
              .merge(close.map(end -> Optional.<Message>empty()), true)
              .takeWhile(Optional::isPresent)
              .map(Optional::get);
      Flow<Message, Message, NotUsed> handler =
          Flow.fromSinkAndSourceCoupled(Sink.ignore(), ending);
      return protocol.isPresent()
          ? upgrade.handleMessagesWith(handler, protocol.get())
          : upgrade.handleMessagesWith(handler);
    }
    WebSocketSettings settings =
        ServerSettings$.MODULE$.apply(system.settings().config()).websocketSettings();
    WebSocket$ ws = WebSocket$.MODULE$;
    // never completes by itself: the handler's own end still closes normally (1000)
    Source<Object, NotUsed> closeEvents =
        close
            .take(1)
            .<Object>map(
                ending ->
                    new FrameHandler.ActivelyCloseWithCode(
                        Option.apply((Object) ending.closeCode()), ending.reason()))
            .concat(Source.never());
    BidiFlow<Object, Object, Object, Object, NotUsed> closer =
        BidiFlow.fromFlows(Flow.create(), Flow.create().merge(closeEvents, true));
    Flow<akka.http.scaladsl.model.ws.Message, akka.http.scaladsl.model.ws.Message, NotUsed>
        handler = Flow.fromSinkAndSourceCoupled(Sink.ignore(), out.map(Message::asScala));
    // Scala's variance lets WebSocket.stack compose these layers; Java needs raw types
    akka.stream.scaladsl.BidiFlow stack =
        raw(ws.masking(true, settings.randomFactory()))
            .atop(raw(ws.frameHandling(true, CLOSE_TIMEOUT, system.log())))
            .atop(raw(ws.periodicKeepAlive(settings)))
            .atop(raw(closer.asScala()))
            .atop(raw(ws.messageAPI(true, CLOSE_TIMEOUT)));
    return lowLevel.handleFrames(
        stack.join(handler.asScala()), Option.apply(protocol.orElse(null)));
  }

  @SuppressWarnings("rawtypes")
  private static akka.stream.scaladsl.BidiFlow raw(akka.stream.scaladsl.BidiFlow<?, ?, ?, ?, ?> b) {
    return b;
  }
}
