package io.kvorum.raft.transport;

/**
 * Transport counters since start.
 *
 * @param framesSent frames published to peers
 * @param messagesSent messages inside those frames
 * @param framesReceived frames for this member accepted
 * @param messagesReceived messages delivered to the inbox
 * @param droppedQueueFull messages dropped because a peer's queue was full (flow control)
 * @param droppedForeignCluster frames dropped because they carried another cluster's id
 * @param droppedMalformed frames dropped because they could not be decoded
 */
public record TransportStats(
    long framesSent,
    long messagesSent,
    long framesReceived,
    long messagesReceived,
    long droppedQueueFull,
    long droppedForeignCluster,
    long droppedMalformed) {}
