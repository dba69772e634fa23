package dev.rampart.e2e.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs: flags {@code --name=value}, else environment variables {@code BENCH_NAME},
 * else the defaults.
 */
record BenchSettings(
    List<Integer> rates,
    int seconds,
    int rounds,
    int floorRounds,
    int floorSeconds,
    int customers,
    int warmupSeconds,
    int drainSeconds,
    List<String> jvmFlags,
    Map<String, List<String>> jvmExtra,
    int jfrRate,
    Path output) {

  static final List<String> DEFAULT_JVM_FLAGS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-Xss512k");

  static BenchSettings parse(String[] args, Map<String, String> env, Path defaultOutput) {
    Map<String, String> flags = new LinkedHashMap<>();
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      String value = arg.substring(arg.indexOf('=') + 1);
      if (name.equals("jvm-opt")) {
        // --jvm-opt=order:-Dsome.setting=1 (or all:...)
        String service = value.substring(0, value.indexOf(':'));
        extra
            .computeIfAbsent(service, s -> new ArrayList<>())
            .add(value.substring(value.indexOf(':') + 1));
      } else {
        flags.put(name, value);
      }
    }
    java.util.function.BiFunction<String, String, String> get =
        (name, fallback) ->
            flags.getOrDefault(
                name, env.getOrDefault("BENCH_" + name.toUpperCase().replace('-', '_'), fallback));
    List<String> all = extra.remove("all");
    if (all != null) {
      for (String service : List.of("order", "user", "shipping", "gateway")) {
        extra.computeIfAbsent(service, s -> new ArrayList<>()).addAll(0, all);
      }
    }
    String jvmFlags = get.apply("jvm-flags", String.join(" ", DEFAULT_JVM_FLAGS));
    return new BenchSettings(
        Arrays.stream(get.apply("rates", "5,50,200,500").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList(),
        Integer.parseInt(get.apply("seconds", "20")),
        Integer.parseInt(get.apply("rounds", "1")),
        Integer.parseInt(get.apply("floor-rounds", "3")),
        Integer.parseInt(get.apply("floor-seconds", "5")),
        Integer.parseInt(get.apply("customers", "50")),
        Integer.parseInt(get.apply("warmup-seconds", "15")),
        Integer.parseInt(get.apply("drain-seconds", "60")),
        List.of(jvmFlags.trim().split("\\s+")),
        extra,
        Integer.parseInt(get.apply("jfr-rate", "0")),
        Path.of(get.apply("output", defaultOutput.toString())));
  }
}
