package io.kvorum.api.gateway;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * etcd's JSON gateway, generic as grpc-gateway is: a POST to a route ({@link GatewayRoutes}) has
 * its JSON body decoded into the method's request message, the method is called through a gRPC
 * channel to the member's own services, and the response is printed as etcd prints it ({@link
 * GatewayJson}). A new gRPC service is served here as soon as it is registered: no code per method.
 *
 * <p>Unary methods answer one JSON body ({@link #unary}); streaming methods (Watch, LeaseKeepAlive,
 * Snapshot, Observe) answer newline-delimited {@code {"result":...}} objects ({@link #stream}).
 * Thread-safe.
 */
public final class Gateway {
  private final Channel channel;

  /**
   * @param channel to the member's gRPC services (a {@link GatewayChannel} in the product)
   */
  public Gateway(Channel channel) {
    this.channel = channel;
  }

  /**
   * Calls a unary method with the first JSON value of {@code body} (an empty body is an empty
   * request). The future always completes normally: 200 and the response, or etcd's status and
   * error body (400 InvalidArgument for a body that does not decode).
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<GatewayReply> unary(MethodDescriptor<?, ?> method, InputStream body) {
    var m = (MethodDescriptor<Message, Message>) method;
    Message request;
    try {
      request = new JsonRequests(body, m).next();
    } catch (GatewayException e) {
      return CompletableFuture.completedFuture(GatewayReply.of(GatewayError.of(e)));
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          GatewayReply.of(
              GatewayError.of(Status.INVALID_ARGUMENT.withDescription(e.getMessage()))));
    }
    if (request == null) {
      request = JsonRequests.prototype(m);
    }
    CompletableFuture<GatewayReply> reply = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(m, CallOptions.DEFAULT),
        request,
        new StreamObserver<>() {
          private Message response;

          @Override
          public void onNext(Message value) {
            response = value;
          }

          @Override
          public void onError(Throwable t) {
            reply.complete(GatewayReply.of(GatewayError.of(Status.fromThrowable(t))));
          }

          @Override
          public void onCompleted() {
            reply.complete(new GatewayReply(200, GatewayJson.print(response)));
          }
        });
    return reply;
  }

  /**
   * Starts a streaming method: {@code bodyReader} reads request objects from {@code body} and sends
   * each as it arrives (the end of the body half-closes the call); responses are queued for {@link
   * GatewayStream#writeTo}.
   *
   * @param bodyReader runs the task that reads {@code body} (it blocks on the client)
   */
  @SuppressWarnings("unchecked")
  public GatewayStream stream(
      MethodDescriptor<?, ?> method, InputStream body, Executor bodyReader) {
    var m = (MethodDescriptor<Message, Message>) method;
    GatewayStream stream = new GatewayStream();
    var call = channel.newCall(m, CallOptions.DEFAULT);
    JsonRequests requests = new JsonRequests(body, m);
    if (m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
      bodyReader.execute(() -> sendOne(requests, m, call, stream));
    } else {
      StreamObserver<Message> out = ClientCalls.asyncBidiStreamingCall(call, stream.responses());
      bodyReader.execute(() -> sendAll(requests, out, stream));
    }
    return stream;
  }

  private static void sendOne(
      JsonRequests requests,
      MethodDescriptor<Message, Message> m,
      io.grpc.ClientCall<Message, Message> call,
      GatewayStream stream) {
    Message request;
    try {
      request = requests.next();
    } catch (GatewayException e) {
      stream.failBeforeStart(GatewayError.of(e));
      return;
    } catch (IOException e) {
      stream.failBeforeStart(GatewayError.of(Status.CANCELLED.withDescription(e.getMessage())));
      return;
    }
    ClientCalls.asyncServerStreamingCall(
        call, request == null ? JsonRequests.prototype(m) : request, stream.responses());
  }

  /**
   * grpc-gateway's bidi handler: a first request that does not decode fails the call (500, code
   * Unknown, the decoder's message); a later one, or the end of the body, only closes the sending
   * side, as the end of a gRPC client stream.
   */
  private static void sendAll(
      JsonRequests requests, StreamObserver<Message> out, GatewayStream stream) {
    boolean first = true;
    try {
      for (Message r = requests.next(); r != null; r = requests.next()) {
        out.onNext(r);
        first = false;
      }
      out.onCompleted();
    } catch (GatewayException e) {
      if (first) {
        stream.failBeforeStart(
            GatewayError.of(Status.UNKNOWN.withDescription(e.status().getDescription())));
      } else {
        out.onCompleted();
      }
    } catch (IOException | RuntimeException e) {
      stream.cancel(); // the client went away, or the call ended under us
    }
  }
}
