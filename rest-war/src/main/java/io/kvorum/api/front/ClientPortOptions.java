package io.kvorum.api.front;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ClientPortFront} listens, where it sends HTTP/1.1, and its limits.
 *
 * <p>Validated at construction; every message names the etcd configuration key or option.
 *
 * @param listenAddresses the member's {@code listen-client-urls} ({@link ListenClientUrls})
 * @param httpBackend Payara's HTTP listener, moved to an internal loopback port
 * @param maxConnections open client connections allowed at once, gRPC and HTTP/1.1 together; the
 *     next one is accepted and closed at once
 * @param prefaceTimeout how long a new connection may take to show its first bytes before it is
 *     closed (a client that connects and says nothing holds no thread, but does hold a socket)
 * @param ioThreads Netty event loop threads for client connections and the in-JVM gRPC hop
 * @param callbackThreads threads that run gRPC service methods; service code should hand slow work
 *     (Raft proposals) to futures instead of blocking these
 * @param maxRequestBytes etcd's {@code max-request-bytes}; gRPC accepts messages up to this plus
 *     etcd's 512 KiB gRPC overhead allowance
 * @param keepAliveMinTime etcd's {@code grpc-keepalive-min-time}: clients pinging more often are
 *     told to calm down
 * @param keepAliveInterval etcd's {@code grpc-keepalive-interval}: server-to-client pings
 * @param keepAliveTimeout etcd's {@code grpc-keepalive-timeout}: unanswered ping closes
 * @param shutdownGrace how long {@link ClientPortFront#close()} lets in-flight gRPC calls finish
 */
public record ClientPortOptions(
    List<InetSocketAddress> listenAddresses,
    InetSocketAddress httpBackend,
    int maxConnections,
    Duration prefaceTimeout,
    int ioThreads,
    int callbackThreads,
    int maxRequestBytes,
    Duration keepAliveMinTime,
    Duration keepAliveInterval,
    Duration keepAliveTimeout,
    Duration shutdownGrace) {

  /** etcd's default {@code max-request-bytes}: 1.5 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 3 * 512 * 1024;

  /** etcd's allowance on top of {@code max-request-bytes} for gRPC framing (v3rpc/grpc.go). */
  public static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

  /** Validates every field. */
  public ClientPortOptions {
    listenAddresses = List.copyOf(Objects.requireNonNull(listenAddresses, "listenAddresses"));
    if (listenAddresses.isEmpty()) {
      throw new IllegalArgumentException(ListenClientUrls.KEY + ": no address to listen on");
    }
    Objects.requireNonNull(httpBackend, "httpBackend");
    if (!httpBackend.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "httpBackend: Payara's HTTP listener must be on a loopback address: " + httpBackend);
    }
    positive("maxConnections", maxConnections);
    positive("ioThreads", ioThreads);
    positive("callbackThreads", callbackThreads);
    positive("max-request-bytes", maxRequestBytes);
    positive("prefaceTimeout", prefaceTimeout);
    positive("grpc-keepalive-min-time", keepAliveMinTime);
    positive("grpc-keepalive-interval", keepAliveInterval);
    positive("grpc-keepalive-timeout", keepAliveTimeout);
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
  }

  /**
   * Options with etcd's defaults (keepalive 5 s / 2 h / 20 s, 1.5 MiB requests) and limits sized
   * for a small member: 10,000 connections, 10 s preface timeout, two I/O threads, a callback
   * thread per core (at least four), 5 s shutdown grace.
   */
  public static ClientPortOptions of(
      List<InetSocketAddress> listenAddresses, InetSocketAddress httpBackend) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ClientPortOptions(
        listenAddresses,
        httpBackend,
        10_000,
        Duration.ofSeconds(10),
        Math.min(2, cores),
        Math.max(4, cores),
        DEFAULT_MAX_REQUEST_BYTES,
        Duration.ofSeconds(5),
        Duration.ofHours(2),
        Duration.ofSeconds(20),
        Duration.ofSeconds(5));
  }

  /** A copy with another connection limit. */
  public ClientPortOptions withMaxConnections(int value) {
    return new ClientPortOptions(
        listenAddresses,
        httpBackend,
        value,
        prefaceTimeout,
        ioThreads,
        callbackThreads,
        maxRequestBytes,
        keepAliveMinTime,
        keepAliveInterval,
        keepAliveTimeout,
        shutdownGrace);
  }

  /** A copy with another preface timeout. */
  public ClientPortOptions withPrefaceTimeout(Duration value) {
    return new ClientPortOptions(
        listenAddresses,
        httpBackend,
        maxConnections,
        value,
        ioThreads,
        callbackThreads,
        maxRequestBytes,
        keepAliveMinTime,
        keepAliveInterval,
        keepAliveTimeout,
        shutdownGrace);
  }

  /** A copy with another {@code max-request-bytes} (gRPC messages may add etcd's allowance). */
  public ClientPortOptions withMaxRequestBytes(int value) {
    return new ClientPortOptions(
        listenAddresses,
        httpBackend,
        maxConnections,
        prefaceTimeout,
        ioThreads,
        callbackThreads,
        value,
        keepAliveMinTime,
        keepAliveInterval,
        keepAliveTimeout,
        shutdownGrace);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, got " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + ": must be a positive duration, got " + value);
    }
  }
}
