package io.kvorum.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts per second and latency with N concurrent clients over gRPC, against any etcd v3 endpoint
 * (Kvorum or real etcd): a benchmark to run by hand, never a test.
 *
 * <pre>
 * java -cp "rest-war/target/test-classes:rest-war/target/classes:rest-war/target/kvorum/WEB-INF/lib/*" \
 *   io.kvorum.bench.PutBenchmark ENDPOINT[,ENDPOINT...] CLIENTS SECONDS [VALUE_BYTES]
 * </pre>
 *
 * Keys are 8 bytes, values 256 bytes by default (etcd's published benchmark); clients share up to
 * 16 connections, spread over the endpoints.
 */
public final class PutBenchmark {
  private PutBenchmark() {}

  public static void main(String[] args) throws Exception {
    String[] endpoints = args[0].split(",");
    int clients = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < Math.min(16, clients); i++) {
      String[] hp = endpoints[i % endpoints.length].split(":");
      channels.add(
          NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().build());
    }
    ByteString value = ByteString.copyFrom(new byte[valueBytes]);
    AtomicLong errors = new AtomicLong();
    long[][] latencies = new long[clients][];
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(c % channels.size()));
      Thread t =
          new Thread(
              () -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                for (long i = 0; System.nanoTime() < end; i++) {
                  String key = String.format("%03d%05d", id % 1000, i % 100_000);
                  long t0 = System.nanoTime();
                  try {
                    kv.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .put(
                            PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8(key))
                                .setValue(value)
                                .build());
                    if (n == lat.length) {
                      lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
                latencies[id] = Arrays.copyOf(lat, n);
              });
      threads.add(t);
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.printf(
        "clients=%d puts=%d errors=%d elapsed=%.1fs puts/s=%.0f p50=%.2fms p99=%.2fms%n",
        clients,
        all.length,
        errors.get(),
        elapsed,
        all.length / elapsed,
        percentile(all, 0.50),
        percentile(all, 0.99));
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
  }
}
