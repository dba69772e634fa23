package dev.rampart.platform;

/**
 * Marker for messages that cross the wire inside a service's cluster (entity commands, replies,
 * events, state): bound to Akka's Jackson CBOR serializer in {@code rampart-platform.conf}.
 */
public interface CborSerializable {}
