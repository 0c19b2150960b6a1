package io.kvorum.api.front;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One direction of a byte-for-byte relay: what this channel reads is written to {@code peer}.
 *
 * <p>Each spliced pair has one Splice on each side. Writes are flushed once per read batch rather
 * than per buffer, and backpressure is by auto-read: when {@code peer} cannot take more, this side
 * stops reading until it can, so a slow reader never makes the front buffer without bound. Either
 * side closing or failing closes both, after what is already written has been flushed.
 */
final class Splice extends ChannelInboundHandlerAdapter {

  private final Channel peer;

  Splice(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // A void promise: a failed write fires exceptionCaught on the peer, whose Splice closes both.
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This side's outbound buffer drained or filled: the peer (which feeds it) reads accordingly.
    peer.config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeAfterFlush(peer);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
    closeAfterFlush(peer);
  }

  /** Closes {@code channel} once everything already written to it has gone out. */
  static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
