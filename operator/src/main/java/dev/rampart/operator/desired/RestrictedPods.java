package dev.rampart.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;

/**
 * Every pod the operator creates meets the {@code restricted} Pod Security Standard: non-root (the
 * images' user 65532), no privilege escalation, no capabilities, the runtime's default seccomp
 * profile; and a read-only root filesystem, with an emptyDir at /tmp for the JVM's own files.
 */
public final class RestrictedPods {
  public static final long USER = 65532;
  static final String TMP_VOLUME = "tmp";
  static final String TMP_PATH = "/tmp";

  private RestrictedPods() {}

  /** The pod, hardened in place (a builder's last step): returns {@code pod}. */
  static PodSpec harden(PodSpec pod) {
    pod.setSecurityContext(
        new PodSecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withRunAsUser(USER)
            .withRunAsGroup(USER)
            .withFsGroup(USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .build());
    for (Container container : pod.getContainers()) {
      container.setSecurityContext(
          new SecurityContextBuilder()
              .withRunAsNonRoot(true)
              .withAllowPrivilegeEscalation(false)
              .withPrivileged(false)
              .withReadOnlyRootFilesystem(true)
              .withNewCapabilities()
              .withDrop("ALL")
              .endCapabilities()
              .build());
      var mounts = new ArrayList<>(container.getVolumeMounts());
      mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_PATH).build());
      container.setVolumeMounts(mounts);
    }
    var volumes = new ArrayList<>(pod.getVolumes());
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    pod.setVolumes(volumes);
    return pod;
  }
}
