package io.kvorum.api.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HopEventLoopsTest {

  @Test
  void serverEndOfEachAnnouncedHopRunsOnItsClientsLoop() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(4);
    try {
      List<EventLoop> loops = new ArrayList<>();
      for (EventExecutor loop : group) {
        loops.add((EventLoop) loop);
      }
      HopEventLoops hops = new HopEventLoops(group);
      Map<LocalAddress, CompletableFuture<EventLoop>> serverEnds = new ConcurrentHashMap<>();
      LocalAddress server = new LocalAddress(HopEventLoopsTest.class);
      new ServerBootstrap()
          .group(loops.get(0), hops)
          .channel(LocalServerChannel.class)
          .childHandler(
              new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel serverEnd) {
                  serverEnds
                      .computeIfAbsent(serverEnd.remoteAddress(), a -> new CompletableFuture<>())
                      .complete(serverEnd.eventLoop());
                }
              })
          .bind(server)
          .sync();

      // Every client on loop 3: round-robin alone would spread the server ends over all four.
      EventLoop clientLoop = loops.get(3);
      for (int i = 0; i < 4; i++) {
        LocalAddress clientEnd = new LocalAddress(HopEventLoopsTest.class);
        hops.expect(clientEnd, clientLoop);
        new Bootstrap()
            .group(clientLoop)
            .channel(LocalChannel.class)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(server, clientEnd)
            .sync();
        EventLoop serverEndLoop =
            serverEnds
                .computeIfAbsent(clientEnd, a -> new CompletableFuture<>())
                .get(10, TimeUnit.SECONDS);
        assertSame(clientLoop, serverEndLoop, "hop " + i);
      }
      assertEquals(4, serverEnds.size());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
