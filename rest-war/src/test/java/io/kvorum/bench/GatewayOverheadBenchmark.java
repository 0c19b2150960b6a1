package io.kvorum.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kvorum.api.pb.etcdserverpb.KVGrpc;
import io.kvorum.api.pb.etcdserverpb.PutRequest;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The JSON gateway's cost per request against gRPC on the same endpoint: one client, one request at
 * a time, a serializable Range of one key and a Put, alternating gRPC and gateway rounds so both
 * see the same machine load. A benchmark to run by hand, never a test.
 *
 * <pre>
 * java -cp "rest-war/target/test-classes:rest-war/target/classes:rest-war/target/kvorum/WEB-INF/lib/*" \
 *   io.kvorum.bench.GatewayOverheadBenchmark HOST:PORT [REQUESTS_PER_ROUND] [ROUNDS]
 * </pre>
 *
 * Prints, per API and request, the median, 90th and 99th percentile latency in microseconds over
 * all rounds (the first round of each is warm-up and not counted).
 */
public final class GatewayOverheadBenchmark {
  private GatewayOverheadBenchmark() {}

  private interface Call {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String[] hp = args[0].split(":");
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().build();
    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ByteString key = ByteString.copyFromUtf8("bench/key");
    ByteString value = ByteString.copyFrom(new byte[256]);
    kv.put(PutRequest.newBuilder().setKey(key).setValue(value).build());
    String b64Key = Base64.getEncoder().encodeToString(key.toByteArray());
    String rangeJson = "{\"key\":\"" + b64Key + "\",\"serializable\":true}";
    String putJson =
        "{\"key\":\""
            + b64Key
            + "\",\"value\":\""
            + Base64.getEncoder().encodeToString(value.toByteArray())
            + "\"}";
    URI base = URI.create("http://" + args[0]);

    Call grpcRange =
        () ->
            kv.withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build());
    Call grpcPut =
        () ->
            kv.withDeadlineAfter(10, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(key).setValue(value).build());
    Call gwRange = () -> post(http, base.resolve("/v3/kv/range"), rangeJson);
    Call gwPut = () -> post(http, base.resolve("/v3/kv/put"), putJson);

    String[] names = {"gRPC range", "gateway range", "gRPC put", "gateway put"};
    Call[] calls = {grpcRange, gwRange, grpcPut, gwPut};
    long[][] samples = new long[calls.length][perRound * (rounds - 1)];
    for (int round = 0; round < rounds; round++) {
      for (int c = 0; c < calls.length; c++) {
        for (int i = 0; i < perRound; i++) {
          long t0 = System.nanoTime();
          calls[c].run();
          long t = System.nanoTime() - t0;
          if (round > 0) {
            samples[c][(round - 1) * perRound + i] = t;
          }
        }
      }
    }
    for (int c = 0; c < calls.length; c++) {
      long[] s = samples[c];
      Arrays.sort(s);
      System.out.printf(
          "%-14s n=%d  p50 %6d us  p90 %6d us  p99 %6d us%n",
          names[c],
          s.length,
          s[s.length / 2] / 1000,
          s[s.length * 9 / 10] / 1000,
          s[s.length * 99 / 100] / 1000);
    }
    channel.shutdownNow();
  }

  private static void post(HttpClient http, URI uri, String json) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
  }
}
