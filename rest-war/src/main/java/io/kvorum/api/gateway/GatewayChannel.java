package io.kvorum.api.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The member's gRPC services behind an in-process server, and a channel to it: what the gateway
 * calls. Messages cross it as objects (no serialization, no socket), and a method no service
 * implements answers UNIMPLEMENTED exactly as it does over the network.
 *
 * <p>Thread-safe; {@link #close()} once.
 */
public final class GatewayChannel implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;

  private GatewayChannel(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /**
   * Starts an in-process server with {@code services} and connects to it.
   *
   * @param name unique in this JVM (e.g. the member id and an instance counter)
   * @param executor runs the services' methods and the channel's callbacks
   */
  public static GatewayChannel start(
      String name, List<ServerServiceDefinition> services, Executor executor) {
    InProcessServerBuilder b = InProcessServerBuilder.forName(name).executor(executor);
    services.forEach(b::addService);
    Server server;
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GatewayChannel(
        server, InProcessChannelBuilder.forName(name).executor(executor).build());
  }

  /** The channel gateway calls go through. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Cancels calls in flight (open watches end) and stops the server. */
  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
