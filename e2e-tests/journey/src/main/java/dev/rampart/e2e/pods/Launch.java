package dev.rampart.e2e.pods;

import java.util.List;

/**
 * How to run a container image as a local JVM: the classpath of the module the image is built from
 * and the image's entrypoint main class (what Jib puts in the image).
 */
public record Launch(String classpath, String mainClass, List<String> jvmOptions) {}
