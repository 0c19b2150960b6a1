package io.kvorum.api.front;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Decides what a new client connection speaks from its first bytes, then splices it on.
 *
 * <p>etcdctl and other gRPC clients open h2c connections "with prior knowledge": the first 24 bytes
 * are the HTTP/2 client preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}. Those connections go to
 * the gRPC server over an in-JVM {@link LocalChannel}; everything else (curl, the JSON gateway's
 * clients) is HTTP/1.x and goes to Payara's HTTP listener over loopback TCP. The decision is made
 * as soon as the bytes seen stop matching the preface, so an HTTP/1.1 request ({@code GET}, {@code
 * POST}, ...) is routed after its first one or two bytes.
 *
 * <p>Bytes that arrive while the backend connection is being opened are kept and sent first, so
 * nothing is lost or reordered. A connection that shows nothing within the preface timeout is
 * closed. If Payara cannot be reached, an HTTP/1.1 client gets a 503 rather than a reset.
 */
final class ProtocolSniffer extends ChannelInboundHandlerAdapter {

  static final byte[] HTTP2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BACKEND_UNAVAILABLE =
      ("HTTP/1.1 503 Service Unavailable\r\n"
              + "Content-Type: text/plain\r\n"
              + "Content-Length: 37\r\n"
              + "Connection: close\r\n\r\n"
              + "kvorum: HTTP listener not reachable\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final LocalAddress grpcServer;
  private final HopEventLoops hopLoops;
  private final InetSocketAddress httpBackend;
  private final Duration prefaceTimeout;
  private final Consumer<Channel> track;

  /** What has been read and not yet forwarded; null before the first read. */
  private ByteBuf seen;

  /** True once the protocol is known and the backend connection is being opened. */
  private boolean decided;

  private ScheduledFuture<?> timeout;

  /**
   * @param track registers each backend channel so the front can close it on shutdown
   */
  ProtocolSniffer(
      LocalAddress grpcServer,
      HopEventLoops hopLoops,
      InetSocketAddress httpBackend,
      Duration prefaceTimeout,
      Consumer<Channel> track) {
    this.grpcServer = grpcServer;
    this.hopLoops = hopLoops;
    this.httpBackend = httpBackend;
    this.prefaceTimeout = prefaceTimeout;
    this.track = track;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (!decided) {
                    ctx.close();
                  }
                },
                prefaceTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (seen == null) {
      seen = in;
    } else {
      seen = Unpooled.wrappedBuffer(seen, in);
    }
    if (decided) {
      return; // kept until the backend is connected
    }
    Boolean grpc = classify(seen);
    if (grpc == null) {
      return; // a prefix of the preface so far: wait for more
    }
    decided = true;
    timeout.cancel(false);
    // No more reads until the backend is there; what is already in flight is kept in `seen`.
    ctx.channel().config().setAutoRead(false);
    connect(ctx, grpc);
  }

  /** True for the HTTP/2 preface, false for anything else, null while it could still be either. */
  static Boolean classify(ByteBuf bytes) {
    int n = Math.min(bytes.readableBytes(), HTTP2_PREFACE.length);
    int start = bytes.readerIndex();
    for (int i = 0; i < n; i++) {
      if (bytes.getByte(start + i) != HTTP2_PREFACE[i]) {
        return Boolean.FALSE;
      }
    }
    return n == HTTP2_PREFACE.length ? Boolean.TRUE : null;
  }

  private void connect(ChannelHandlerContext ctx, boolean grpc) {
    Channel client = ctx.channel();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(client.eventLoop()) // same thread for both sides: no cross-thread hand-off
            .option(ChannelOption.AUTO_READ, false)
            .handler(new Splice(client));
    ChannelFuture connected;
    LocalAddress hop = null;
    if (grpc) {
      // Bound to a fresh address so the gRPC server's end can be put on this same event loop.
      hop = new LocalAddress(ProtocolSniffer.class);
      hopLoops.expect(hop, client.eventLoop());
      connected = bootstrap.channel(LocalChannel.class).connect(grpcServer, hop);
    } else {
      connected =
          bootstrap
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .connect(httpBackend);
    }
    track.accept(connected.channel());
    LocalAddress announced = hop;
    connected.addListener(
        (ChannelFutureListener)
            f -> {
              if (announced != null) {
                hopLoops.forget(announced); // normally already taken by the registration
              }
              if (!f.isSuccess()) {
                backendFailed(ctx, grpc);
                return;
              }
              Channel backend = f.channel();
              if (!client.isActive()) {
                backend.close(); // the client left while we were connecting
                return;
              }
              ByteBuf pending = seen;
              seen = null;
              ctx.pipeline().replace(this, "splice", new Splice(backend));
              backend.writeAndFlush(pending, backend.voidPromise());
              backend.config().setAutoRead(true);
              client.config().setAutoRead(true);
            });
  }

  private void backendFailed(ChannelHandlerContext ctx, boolean grpc) {
    release();
    if (grpc) {
      ctx.close();
    } else {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(BACKEND_UNAVAILABLE))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    if (timeout != null) {
      timeout.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void release() {
    if (seen != null) {
      seen.release();
      seen = null;
    }
  }
}
