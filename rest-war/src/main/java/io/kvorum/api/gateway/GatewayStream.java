package io.kvorum.api.gateway;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One streaming gateway call's responses, written as etcd's gateway writes them: each message as
 * {@code {"result":{...}}} and a newline, flushed at once; a gRPC error as grpc-gateway v1's stream
 * error object {@code {"error":{"grpc_code":...,"http_code":...,"message":...,"http_status":...}}}.
 *
 * <p>Flow control reaches the service: one response is requested at a time, the next only once the
 * previous one was written, so a slow HTTP client holds the stream back instead of filling memory.
 *
 * <p>gRPC callbacks add to the queue from their threads; {@link #awaitStatus} and {@link #writeTo}
 * run on the one thread that writes the HTTP response.
 */
public final class GatewayStream {
  private interface Event {}

  private record Next(Message message) implements Event {}

  private record Failed(Status status) implements Event {}

  /** Before the call started (the first request did not decode): a plain gateway error body. */
  private record Refused(GatewayError error) implements Event {}

  private record Completed() implements Event {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<Message> call;
  private Event first;

  GatewayStream() {}

  ClientResponseObserver<Message, Message> responses() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Message> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
      }

      @Override
      public void onNext(Message value) {
        events.add(new Next(value));
      }

      @Override
      public void onError(Throwable t) {
        events.add(new Failed(Status.fromThrowable(t)));
      }

      @Override
      public void onCompleted() {
        events.add(new Completed());
      }
    };
  }

  void failBeforeStart(GatewayError error) {
    // The refusal first: cancelling makes gRPC report CANCELLED, which must not be seen first.
    events.add(new Refused(error));
    cancel();
  }

  /** Cancels the gRPC call (the HTTP client went away); idempotent. */
  public void cancel() {
    ClientCallStreamObserver<Message> c = call;
    if (c != null) {
      c.cancel("gateway client gone", null);
    }
  }

  /**
   * Waits for the first response, error or end, and returns the HTTP status to start the response
   * with: 200 unless the call failed before answering anything.
   *
   * @throws InterruptedException the wait was interrupted; the call is cancelled
   */
  public int awaitStatus() throws InterruptedException {
    try {
      first = events.take();
    } catch (InterruptedException e) {
      cancel();
      throw e;
    }
    if (first instanceof Failed f) {
      return GatewayError.httpStatus(f.status().getCode());
    }
    return first instanceof Refused r ? r.error().httpStatus() : 200;
  }

  /**
   * Writes every response until the call ends, flushing each; call after {@link #awaitStatus}.
   *
   * @throws IOException writing failed (the client went away); the call is cancelled
   */
  public void writeTo(OutputStream out) throws IOException {
    try {
      Event e = first;
      while (true) {
        if (e instanceof Next n) {
          out.write(GatewayJson.printStreamResult(n.message()).getBytes(StandardCharsets.UTF_8));
          out.flush();
          call.request(1);
        } else if (e instanceof Failed f) {
          out.write(streamError(f.status()).getBytes(StandardCharsets.UTF_8));
          out.flush();
          return;
        } else if (e instanceof Refused r) {
          out.write(r.error().toJson().getBytes(StandardCharsets.UTF_8));
          return;
        } else {
          return; // Completed
        }
        e = events.take();
      }
    } catch (IOException | RuntimeException e) {
      cancel();
      throw e;
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** grpc-gateway v1's streamChunk for an error: its StreamError message, printed by jsonpb. */
  static String streamError(Status status) {
    GatewayError e = GatewayError.of(status);
    StringBuilder out = new StringBuilder(96).append("{\"error\":{\"grpc_code\":");
    out.append(e.code()).append(",\"http_code\":").append(e.httpStatus());
    if (!e.message().isEmpty()) {
      out.append(",\"message\":");
      GatewayJson.writeString(out, e.message());
    }
    out.append(",\"http_status\":");
    GatewayJson.writeString(out, GatewayError.statusText(e.httpStatus()));
    return out.append("}}\n").toString();
  }
}
