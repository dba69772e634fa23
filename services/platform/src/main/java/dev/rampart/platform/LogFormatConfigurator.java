package dev.rampart.platform;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.rampart.contract.Env;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * Logback set-up of every service, chosen by {@link Env#LOG_FORMAT}: one JSON object per line
 * (logstash-logback-encoder) for log collectors in pods, or readable text. A logback.xml or
 * logback-test.xml on the class path (tests, operators' overrides) takes precedence.
 */
public final class LogFormatConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogFormatConfigurator.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    install(context, PlatformSettings.LOG_JSON.equals(System.getenv(Env.LOG_FORMAT)));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Adds a console appender to the root logger: JSON lines or text. */
  static void install(LoggerContext context, boolean json) {
    Encoder<ILoggingEvent> encoder;
    if (json) {
      LogstashEncoder logstash = new LogstashEncoder();
      logstash.setContext(context);
      logstash.start();
      encoder = logstash;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setContext(context);
      // the trace id, when the line belongs to a traced request
      pattern.setPattern(
          "%d{HH:mm:ss.SSS} %-5level [%X{akkaAddress:-}]%replace( trace_id=%X{trace_id}){'"
              + " trace_id=$', ''} %logger{36} - %msg%n");
      pattern.start();
      encoder = pattern;
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(json ? "json" : "text");
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
  }
}
