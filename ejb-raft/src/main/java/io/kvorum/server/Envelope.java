package io.kvorum.server;

import io.kvorum.kv.core.KvRequest;
import io.kvorum.kv.core.RequestCodec;
import java.nio.ByteBuffer;

/**
 * What a normal Raft entry carries: the request and who waits for its result. Layout: origin member
 * id (8 bytes), request id (8), then the {@link RequestCodec} encoding of the request.
 *
 * @param origin the member that proposed it; only it completes a caller's future
 * @param requestId the origin's id for the waiting caller; 0 when nobody waits (lease expiry)
 * @param request the request to apply
 */
record Envelope(long origin, long requestId, KvRequest request) {
  byte[] encode() {
    byte[] body = RequestCodec.encode(request);
    return ByteBuffer.allocate(16 + body.length)
        .putLong(origin)
        .putLong(requestId)
        .put(body)
        .array();
  }

  static Envelope decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    long origin = b.getLong();
    long requestId = b.getLong();
    byte[] body = new byte[b.remaining()];
    b.get(body);
    return new Envelope(origin, requestId, RequestCodec.decode(body));
  }
}
