package io.kvorum.api.front;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelPromise;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.Future;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's worker group: puts the server end of each in-JVM hop on the same event loop as
 * the client socket it serves.
 *
 * <p>Without this, Netty would hand the hop's server end to the next loop round-robin, and every
 * request and response would cross threads twice; on two cores that cost about 90 µs per gRPC call
 * (docs/client-port.md). The sniffer {@link #expect announces} the hop's client-end address and
 * loop before it connects; when grpc-netty registers the server end, whose remote address is that
 * client-end address, it is put on the announced loop. Channels not announced (none are expected)
 * get the next loop of the wrapped group.
 *
 * <p>Lifecycle: a view of a group the front owns; shutting this view down shuts the group down.
 */
final class HopEventLoops extends AbstractEventExecutorGroup implements EventLoopGroup {

  private final EventLoopGroup loops;
  private final Map<LocalAddress, EventLoop> expected = new ConcurrentHashMap<>();

  HopEventLoops(EventLoopGroup loops) {
    this.loops = loops;
  }

  /** Announces that the hop whose client end is bound to {@code clientEnd} runs on {@code loop}. */
  void expect(LocalAddress clientEnd, EventLoop loop) {
    expected.put(clientEnd, loop);
  }

  /** Forgets an announcement whose connection failed before grpc-netty registered it. */
  void forget(LocalAddress clientEnd) {
    expected.remove(clientEnd);
  }

  private EventLoop loopFor(Channel channel) {
    EventLoop loop = null;
    if (channel instanceof LocalChannel && channel.remoteAddress() instanceof LocalAddress peer) {
      loop = expected.remove(peer);
    }
    return loop != null ? loop : loops.next();
  }

  @Override
  public ChannelFuture register(Channel channel) {
    return loopFor(channel).register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    return loopFor(promise.channel()).register(promise);
  }

  @Override
  @Deprecated
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return loopFor(channel).register(channel, promise);
  }

  @Override
  public EventLoop next() {
    return loops.next();
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return loops.iterator();
  }

  @Override
  public boolean isShuttingDown() {
    return loops.isShuttingDown();
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return loops.shutdownGracefully(quietPeriod, timeout, unit);
  }

  @Override
  public Future<?> terminationFuture() {
    return loops.terminationFuture();
  }

  @Override
  @Deprecated
  public void shutdown() {
    loops.shutdown();
  }

  @Override
  public boolean isShutdown() {
    return loops.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return loops.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return loops.awaitTermination(timeout, unit);
  }
}
