package dev.rampart.gateway;

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
 * Logback set-up chosen by {@link Env#LOG_FORMAT}: {@code json} (one object per line, for log
 * collectors in pods) or readable text (default). A logback.xml / logback-test.xml on the class
 * path takes precedence.
 */
public final class LogFormat extends ContextAwareBase implements Configurator {
  static final String JSON = "json";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogFormat.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    boolean json = JSON.equals(System.getenv(Env.LOG_FORMAT));
    Encoder<ILoggingEvent> encoder;
    if (json) {
      LogstashEncoder logstash = new LogstashEncoder();
      logstash.setContext(context);
      logstash.start();
      encoder = logstash;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setContext(context);
      pattern.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
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
    context.getLogger("akka.http.impl").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
