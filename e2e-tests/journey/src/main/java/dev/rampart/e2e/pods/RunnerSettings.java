package dev.rampart.e2e.pods;

import java.nio.file.Path;

/** What the runner needs to know about the control plane and the images it can run. */
public record RunnerSettings(
    String nodeName,
    String apiServerHost,
    int apiServerPort,
    Path caCertificate,
    ImageCatalog images,
    Path workDir,
    String javaBinary) {}
