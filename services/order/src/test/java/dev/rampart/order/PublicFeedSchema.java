package dev.rampart.order;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The public feed's schema as a third party gets it: the descriptor set the build publishes in the
 * proto jar (not the generated classes), turned into descriptors for DynamicMessage and JsonFormat.
 */
final class PublicFeedSchema {
  static final String DESCRIPTOR_SET = "rampart/public/v1/order_feed.desc";
  static final String FILE = "rampart/public/v1/order_feed.proto";
  static final String MESSAGE = "rampart.public.v1.OrderFeedEvent";

  static FileDescriptorSet descriptorSet() {
    try (InputStream in =
        PublicFeedSchema.class.getClassLoader().getResourceAsStream(DESCRIPTOR_SET)) {
      if (in == null) {
        throw new IllegalStateException(DESCRIPTOR_SET + " is not in the rampart-proto jar");
      }
      return FileDescriptorSet.parseFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The feed's file, built from the set alone: its imports must be in the set too. */
  static FileDescriptor file() {
    Map<String, FileDescriptor> built = new HashMap<>();
    for (FileDescriptorProto proto : descriptorSet().getFileList()) {
      FileDescriptor[] dependencies =
          proto.getDependencyList().stream()
              .map(
                  name -> {
                    FileDescriptor dependency = built.get(name);
                    if (dependency == null) {
                      throw new IllegalStateException(
                          proto.getName() + " imports " + name + ", not in the descriptor set");
                    }
                    return dependency;
                  })
              .toArray(FileDescriptor[]::new);
      try {
        built.put(proto.getName(), FileDescriptor.buildFrom(proto, dependencies));
      } catch (DescriptorValidationException e) {
        throw new IllegalStateException(e);
      }
    }
    FileDescriptor file = built.get(FILE);
    if (file == null) {
      throw new IllegalStateException(FILE + " is not in the descriptor set");
    }
    return file;
  }

  static Descriptor orderFeedEvent() {
    return file().findMessageTypeByName(MESSAGE.substring(MESSAGE.lastIndexOf('.') + 1));
  }

  private PublicFeedSchema() {}
}
