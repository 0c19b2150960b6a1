package io.kvorum.api.front;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A member's client port: etcd's gRPC services and Payara's HTTP/1.1 (JSON gateway, /health,
 * /version, /metrics) on the same {@code listen-client-urls}, as etcd serves them.
 *
 * <p>The front owns the listening sockets. Each accepted connection is classified by its first
 * bytes ({@link ProtocolSniffer}): an HTTP/2 client preface is spliced to an in-JVM gRPC server
 * (grpc-netty on a Netty {@link LocalServerChannel}, so a gRPC connection costs no second socket or
 * kernel round trip), anything else is spliced over loopback TCP to Payara's HTTP listener, which
 * has been moved to an internal loopback port.
 *
 * <p>Threads: one acceptor thread, {@link ClientPortOptions#ioThreads()} Netty event loop threads
 * shared by client sockets, backend sockets and the gRPC transport, and {@link
 * ClientPortOptions#callbackThreads()} threads running service methods (or a caller's executor,
 * e.g. Payara's ManagedExecutorService, see {@link #start(ClientPortOptions, List, Executor)}). The
 * front's own threads are daemon threads named {@code kvorum-client-*}, created by {@link #start}
 * and ended by {@link #close}. Open connections are capped by {@link
 * ClientPortOptions#maxConnections()}.
 *
 * <p>Thread safety: {@link #start} once, {@link #close} from any thread, any number of times.
 */
public final class ClientPortFront implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClientPortFront.class.getName());

  private final ClientPortOptions options;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final HopEventLoops hopLoops;

  /** The front's own callback pool; null when the caller supplied the executor. */
  private final ExecutorService ownCallbacks;

  private final ChannelGroup channels;
  private final AtomicInteger openConnections = new AtomicInteger();
  private final Server grpcServer;
  private final List<Channel> listeners = new ArrayList<>();
  private boolean closed;

  private ClientPortFront(
      ClientPortOptions options, List<ServerServiceDefinition> services, Executor callbacks) {
    LocalHopLogFilter.install();
    this.options = options;
    this.acceptor =
        new NioEventLoopGroup(1, new DefaultThreadFactory("kvorum-client-accept", true));
    this.io = new NioEventLoopGroup(options.ioThreads(), threads("kvorum-client-io"));
    this.hopLoops = new HopEventLoops(io);
    this.ownCallbacks =
        callbacks == null
            ? Executors.newFixedThreadPool(options.callbackThreads(), grpcThreads())
            : null;
    this.channels = new DefaultChannelGroup("kvorum-client-port", GlobalEventExecutor.INSTANCE);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new LocalAddress(ClientPortFront.class))
            .channelType(LocalServerChannel.class)
            .bossEventLoopGroup(io)
            .workerEventLoopGroup(hopLoops)
            .executor(callbacks == null ? ownCallbacks : callbacks)
            .maxInboundMessageSize(
                options.maxRequestBytes() + ClientPortOptions.GRPC_OVERHEAD_BYTES)
            .permitKeepAliveTime(options.keepAliveMinTime().toNanos(), TimeUnit.NANOSECONDS)
            .permitKeepAliveWithoutCalls(false)
            .keepAliveTime(options.keepAliveInterval().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
    services.forEach(builder::addService);
    this.grpcServer = builder.build();
  }

  /**
   * Starts the gRPC server and binds every listen address.
   *
   * @param options where to listen and where Payara's HTTP listener is
   * @param services the gRPC services to serve (etcd's KV, Watch, Lease, Cluster, Maintenance,
   *     Auth, and the v3lock/v3election services)
   * @return the running front; close it to release every socket and thread
   * @throws UncheckedIOException naming {@code listen-client-urls} if an address cannot be bound;
   *     everything started so far is released first
   */
  public static ClientPortFront start(
      ClientPortOptions options, List<ServerServiceDefinition> services) {
    return start(options, services, null);
  }

  /**
   * Like {@link #start(ClientPortOptions, List)}, but service methods run on {@code callbacks}
   * instead of the front's own pool; {@link ClientPortOptions#callbackThreads()} is then unused.
   * Use it to run them on container threads (a ManagedExecutorService). The front never shuts
   * {@code callbacks} down.
   *
   * @param callbacks the executor for service methods, or null for the front's own pool
   */
  public static ClientPortFront start(
      ClientPortOptions options, List<ServerServiceDefinition> services, Executor callbacks) {
    Objects.requireNonNull(options, "options");
    ClientPortFront front = new ClientPortFront(options, List.copyOf(services), callbacks);
    try {
      front.grpcServer.start();
      front.bindAll();
      return front;
    } catch (IOException | RuntimeException e) {
      front.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private void bindAll() throws IOException {
    LocalAddress grpcAddress = (LocalAddress) grpcServer.getListenSockets().get(0);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel client) {
                    admit(client, grpcAddress);
                  }
                });
    for (InetSocketAddress address : options.listenAddresses()) {
      try {
        Channel listener = bootstrap.bind(address).syncUninterruptibly().channel();
        listeners.add(listener);
      } catch (Exception e) {
        // Netty rethrows the bind's checked exception unwrapped.
        throw new IOException(ListenClientUrls.KEY + ": cannot listen on " + address, e);
      }
    }
  }

  private void admit(SocketChannel client, LocalAddress grpcAddress) {
    int open = openConnections.incrementAndGet();
    client.closeFuture().addListener(f -> openConnections.decrementAndGet());
    if (open > options.maxConnections()) {
      LOG.log(Level.FINE, "client connection limit {0} reached", options.maxConnections());
      client.close();
      return;
    }
    channels.add(client);
    client
        .pipeline()
        .addLast(
            "sniffer",
            new ProtocolSniffer(
                grpcAddress,
                hopLoops,
                options.httpBackend(),
                options.prefaceTimeout(),
                channels::add));
  }

  /** The bound client addresses, with the actual ports when port 0 was asked for. */
  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> bound = new ArrayList<>();
    for (Channel listener : listeners) {
      bound.add((InetSocketAddress) listener.localAddress());
    }
    return bound;
  }

  /** Client connections open now, of either protocol. */
  public int openConnections() {
    return openConnections.get();
  }

  /**
   * Stops accepting, lets in-flight gRPC calls finish for up to {@link
   * ClientPortOptions#shutdownGrace()}, then closes every connection and ends every thread the
   * front started. HTTP/1.1 connections are closed without waiting (Payara finishes or abandons
   * what it was doing). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel listener : listeners) {
      listener.close().syncUninterruptibly();
    }
    grpcServer.shutdown();
    try {
      if (!grpcServer.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        grpcServer.shutdownNow();
      }
      channels.close().awaitUninterruptibly();
      grpcServer.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      grpcServer.shutdownNow();
      channels.close();
      Thread.currentThread().interrupt();
    }
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    if (ownCallbacks != null) {
      ownCallbacks.shutdownNow();
      try {
        ownCallbacks.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static DefaultThreadFactory threads(String prefix) {
    return new DefaultThreadFactory(prefix, true);
  }

  private static java.util.concurrent.ThreadFactory grpcThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "kvorum-client-grpc-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
