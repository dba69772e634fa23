package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFormatConfiguratorTest {

  @Test
  void jsonFormatWritesOneJsonObjectPerEvent() throws Exception {
    String line = encode(true, "order o-1 placed");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("message").asText()).isEqualTo("order o-1 placed");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger_name").asText()).isEqualTo("dev.rampart.test");
    assertThat(line.trim()).doesNotContain("\n");
  }

  @Test
  void textFormatIsReadable() {
    assertThat(encode(false, "hello"))
        .contains("INFO")
        .contains("dev.rampart.test - hello")
        .doesNotStartWith("{");
  }

  @SuppressWarnings("unchecked")
  private static String encode(boolean json, String message) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    LogFormatConfigurator.install(context, json);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> appender =
        (ConsoleAppender<ILoggingEvent>) root.iteratorForAppenders().next();
    LoggingEvent event =
        new LoggingEvent(
            "fqcn", context.getLogger("dev.rampart.test"), Level.INFO, message, null, null);
    return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
  }
}
