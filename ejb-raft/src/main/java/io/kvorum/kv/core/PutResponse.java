package io.kvorum.kv.core;

/** etcdserverpb.PutResponse; {@code prevKv} is null unless requested and the key existed. */
public record PutResponse(ResponseHeader header, KeyValue prevKv)
    implements KvResponse, ResponseOp {}
