package dev.rampart.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keeps the pipeline benchmark (e2e-tests/bin/bench-pipeline) working: a few seconds at 5 orders/s
 * on the real shop, then its JSON report must say every accepted order was recorded and carry real
 * CPU and latency figures for the pipeline and both floors.
 */
@Tag("slow")
class PipelineBenchmarkTest {
  @Test
  void aShortRunAtFiveOrdersPerSecondRecordsEveryAcceptedOrderAndMeasuresCpu() throws Exception {
    Path output = Path.of("target", "benchmarks", "bench-pipeline-test.json");
    BenchSettings settings =
        BenchSettings.parse(
            new String[] {
              "--rates=5",
              "--seconds=4",
              "--customers=3",
              "--warmup-seconds=0",
              "--floor-rounds=1",
              "--floor-seconds=3",
              "--drain-seconds=60",
              "--output=" + output
            },
            Map.of(),
            output);
    PipelineBenchmark.run(settings, m -> System.out.println("==> " + m));

    JsonNode report = new ObjectMapper().readTree(output.toFile());
    assertThat(report.path("mismatch").asBoolean()).isFalse();
    JsonNode rate = report.path("rates").path(0);
    assertThat(rate.path("rate").asInt()).isEqualTo(5);
    JsonNode pipeline = rate.path("median").path("pipeline");
    assertThat(pipeline.path("sent").asInt()).isEqualTo(20);
    assertThat(pipeline.path("accepted").asInt()).isPositive();
    assertThat(pipeline.path("recorded").asInt()).isEqualTo(pipeline.path("accepted").asInt());
    assertThat(pipeline.path("recordedP50Ms").asDouble()).isPositive();
    assertThat(pipeline.path("createdP99Ms").asDouble()).isPositive();
    assertThat(pipeline.path("cpuMsPerOrder").asDouble()).isPositive();
    JsonNode cpuBy = rate.path("pipelineRounds").path(0).path("cpuMsBy");
    for (String process : List.of("order", "user", "shipping", "gateway", "kafka", "pg-services")) {
      assertThat(cpuBy.path(process).asLong()).as("CPU ms of " + process).isPositive();
    }
    // every service database committed transactions for the orders (journal writes at least)
    JsonNode postgres = rate.path("pipelineRounds").path(0).path("postgresPerOrder");
    assertThat(postgres.size()).as("service databases").isEqualTo(3);
    postgres.forEach(
        db -> assertThat(db.path("xact_commit").asDouble()).as("commits per order").isPositive());
    for (String floor : List.of("kafkaFloor", "jdbcFloor")) {
      JsonNode f = rate.path("median").path(floor);
      assertThat(f.path("sent").asInt()).as(floor + " sent").isPositive();
      assertThat(f.path("completed").asInt())
          .as(floor + " completed")
          .isEqualTo(f.path("sent").asInt());
      assertThat(f.path("p50Millis").asDouble()).as(floor + " p50").isPositive();
      assertThat(f.path("cpuMsPerMessage").asDouble()).as(floor + " CPU").isPositive();
    }
    for (String jvm : List.of("order", "user", "shipping", "gateway", "kafka")) {
      assertThat(rate.path("residentMib").path(jvm).asDouble()).as("RSS of " + jvm).isPositive();
    }
    assertThat(Table.of(report)).contains("| 5 | ");
  }
}
