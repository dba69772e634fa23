package dev.rampart.e2e.bench;

import dev.rampart.e2e.local.LocalServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JFR recording (profile settings) on some services' JVMs for one rate, through jcmd. */
final class Jfr {
  private final Map<String, Long> pids;

  private Jfr(Map<String, Long> pids) {
    this.pids = pids;
  }

  static Jfr start(LocalServices shop, List<String> services) {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String service : services) {
      long pid = shop.nodes(service).get(0).process().pid();
      pids.put(service, pid);
      jcmd(pid, "JFR.start", "name=bench", "settings=profile");
    }
    return new Jfr(pids);
  }

  /** Stops the recordings, writing them to dir; returns service → file. */
  Map<String, String> stop(Path dir, int rate) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> files = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      Path file = dir.resolve(e.getKey() + "-" + rate + "per-s.jfr").toAbsolutePath();
      jcmd(e.getValue(), "JFR.stop", "name=bench", "filename=" + file);
      files.put(e.getKey(), file.toString());
    }
    return files;
  }

  private static void jcmd(long pid, String... command) {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(pid));
    args.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
