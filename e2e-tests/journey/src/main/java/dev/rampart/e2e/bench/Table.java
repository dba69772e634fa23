package dev.rampart.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** The report as a Markdown table (medians over rounds), for the terminal and the README. */
final class Table {
  private Table() {}

  static String of(JsonNode report) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "%d cores, load average %.2f at start, %.2f at end%n",
            report.path("cores").asInt(),
            report.path("loadAverageAtStart").asDouble(),
            report.path("loadAverageAtEnd").asDouble()));
    t.append(
        "| rate/s | accepted/sent | recorded | POST→201 p50/p99 ms | POST→recorded p50/p99/max ms |"
            + " CPU ms/order (above idle) | Kafka floor p50/p99 ms | JDBC floor p50/p99 ms |"
            + " recorded p50 ÷ Kafka p50 | 201 p50 ÷ JDBC p50 | CPU ÷ Kafka floor CPU |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonNode r : report.path("rates")) {
      JsonNode m = r.path("median");
      JsonNode p = m.path("pipeline");
      JsonNode k = m.path("kafkaFloor");
      JsonNode j = m.path("jdbcFloor");
      JsonNode x = m.path("pipelineOverFloor");
      t.append(
          String.format(
              "| %d | %d/%d | %d%s | %.1f / %.1f | %.1f / %.1f / %.1f | %.2f (%.2f) | %.1f / %.1f |"
                  + " %.1f / %.1f | %.1f× | %.1f× | %.1f× |%n",
              r.path("rate").asInt(),
              p.path("accepted").asLong(),
              p.path("sent").asLong(),
              p.path("recorded").asLong(),
              p.path("recordedEqualsAccepted").asBoolean() ? "" : " **MISMATCH**",
              p.path("createdP50Ms").asDouble(),
              p.path("createdP99Ms").asDouble(),
              p.path("recordedP50Ms").asDouble(),
              p.path("recordedP99Ms").asDouble(),
              p.path("recordedMaxMs").asDouble(),
              p.path("cpuMsPerOrder").asDouble(),
              p.path("cpuMsPerOrderAboveIdle").asDouble(),
              k.path("p50Millis").asDouble(),
              k.path("p99Millis").asDouble(),
              j.path("p50Millis").asDouble(),
              j.path("p99Millis").asDouble(),
              x.path("recordedP50OverKafkaP50").asDouble(),
              x.path("createdP50OverJdbcP50").asDouble(),
              x.path("cpuPerOrderOverKafkaCpuPerMessage").asDouble()));
    }
    t.append("\nidle CPU ms per second (no orders): ")
        .append(report.path("idleCpuMsPerSecond"))
        .append('\n');
    t.append("\nresident memory (MiB) at the end of each rate:\n");
    for (JsonNode r : report.path("rates")) {
      t.append("  ")
          .append(r.path("rate").asInt())
          .append("/s: ")
          .append(r.path("residentMib"))
          .append('\n');
    }
    t.append("\nCPU ms by process (first round of each rate):\n");
    for (JsonNode r : report.path("rates")) {
      t.append("  ")
          .append(r.path("rate").asInt())
          .append("/s: ")
          .append(r.path("pipelineRounds").path(0).path("cpuMsBy"))
          .append(", load generator ")
          .append(r.path("pipelineRounds").path(0).path("loadGeneratorCpuMs"))
          .append('\n');
    }
    return t.toString();
  }
}
