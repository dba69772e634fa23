package dev.rampart.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** One rate's figures: medians over its rounds, sums of counts, and the pipeline/floor ratios. */
final class Medians {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Medians() {}

  static ObjectNode of(JsonNode rate) {
    ObjectNode m = JSON.createObjectNode();
    JsonNode pipeline = rate.path("pipelineRounds");
    ObjectNode p = m.putObject("pipeline");
    for (String count :
        List.of("sent", "accepted", "recorded", "recordedNotAccepted", "historyGrowth")) {
      long sum = 0;
      for (JsonNode round : pipeline) {
        sum += round.path(count).asLong();
      }
      p.put(count, sum);
    }
    boolean equal = true;
    for (JsonNode round : pipeline) {
      equal &= round.path("recordedEqualsAccepted").asBoolean();
    }
    p.put("recordedEqualsAccepted", equal);
    for (String figure :
        List.of(
            "createdP50Ms",
            "createdP99Ms",
            "recordedP50Ms",
            "recordedP99Ms",
            "recordedMaxMs",
            "cpuMsPerOrder",
            "cpuMsPerOrderAboveIdle")) {
      p.put(figure, median(pipeline, figure));
    }
    ObjectNode kafka = floor(rate.path("kafkaFloorRounds"));
    ObjectNode jdbc = floor(rate.path("jdbcFloorRounds"));
    m.set("kafkaFloor", kafka);
    m.set("jdbcFloor", jdbc);
    ObjectNode ratios = m.putObject("pipelineOverFloor");
    ratios.put("recordedP50OverKafkaP50", ratio(p.path("recordedP50Ms"), kafka.path("p50Millis")));
    ratios.put("recordedP99OverKafkaP99", ratio(p.path("recordedP99Ms"), kafka.path("p99Millis")));
    ratios.put("createdP50OverJdbcP50", ratio(p.path("createdP50Ms"), jdbc.path("p50Millis")));
    ratios.put("createdP99OverJdbcP99", ratio(p.path("createdP99Ms"), jdbc.path("p99Millis")));
    ratios.put(
        "cpuPerOrderOverKafkaCpuPerMessage",
        ratio(p.path("cpuMsPerOrder"), kafka.path("cpuMsPerMessage")));
    ratios.put(
        "cpuPerOrderOverJdbcCpuPerRow",
        ratio(p.path("cpuMsPerOrder"), jdbc.path("cpuMsPerMessage")));
    return m;
  }

  private static ObjectNode floor(JsonNode rounds) {
    ObjectNode f = JSON.createObjectNode();
    long sent = 0;
    long completed = 0;
    for (JsonNode round : rounds) {
      sent += round.path("sent").asLong();
      completed += round.path("completed").asLong();
    }
    f.put("sent", sent);
    f.put("completed", completed);
    for (String figure : List.of("p50Millis", "p99Millis", "maxMillis", "cpuMsPerMessage")) {
      f.put(figure, median(rounds, figure));
    }
    return f;
  }

  static double median(JsonNode rounds, String figure) {
    List<Double> values = new ArrayList<>();
    rounds.forEach(r -> values.add(r.path(figure).asDouble()));
    if (values.isEmpty()) {
      return 0;
    }
    values.sort(Double::compare);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static double ratio(JsonNode a, JsonNode b) {
    return b.asDouble() <= 0 ? 0 : PipelineBenchmark.round2(a.asDouble() / b.asDouble());
  }
}
