package dev.rampart.platform;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.get;
import static akka.http.javadsl.server.Directives.path;

import akka.actor.ExtendedActorSystem;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import dev.rampart.contract.Probes;

/**
 * Akka Management route serving {@link PlatformMetrics} at {@link Probes#METRICS} (registered by
 * config).
 */
public final class MetricsRoute implements ManagementRouteProvider {
  // Prometheus text format 0.0.4 is plain text with this version parameter
  private static final ContentType.WithCharset PROMETHEUS_TEXT = ContentTypes.TEXT_PLAIN_UTF8;

  private final PlatformMetrics metrics;

  public MetricsRoute(ExtendedActorSystem system) {
    this.metrics = PlatformMetrics.get(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        Probes.METRICS.substring(1),
        () ->
            get(
                () ->
                    complete(
                        HttpResponse.create()
                            .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape())))));
  }
}
