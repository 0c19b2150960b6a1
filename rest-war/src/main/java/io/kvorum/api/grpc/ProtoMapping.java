package io.kvorum.api.grpc;

import com.google.protobuf.ByteString;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.kv.core.DeleteRangeRequest;
import io.kvorum.kv.core.DeleteRangeResponse;
import io.kvorum.kv.core.KeyValue;
import io.kvorum.kv.core.PutRequest;
import io.kvorum.kv.core.PutResponse;
import io.kvorum.kv.core.RangeRequest;
import io.kvorum.kv.core.RangeResponse;

/** etcd's protobuf messages to the MVCC core's requests and back: field for field. */
final class ProtoMapping {
  private ProtoMapping() {}

  static RangeRequest range(io.kvorum.api.pb.etcdserverpb.RangeRequest r) {
    return new RangeRequest(
        r.getKey().toByteArray(),
        r.getRangeEnd().toByteArray(),
        r.getLimit(),
        r.getRevision(),
        RangeRequest.SortOrder.values()[r.getSortOrderValue()],
        RangeRequest.SortTarget.values()[r.getSortTargetValue()],
        r.getSerializable(),
        r.getKeysOnly(),
        r.getCountOnly(),
        r.getMinModRevision(),
        r.getMaxModRevision(),
        r.getMinCreateRevision(),
        r.getMaxCreateRevision());
  }

  static PutRequest put(io.kvorum.api.pb.etcdserverpb.PutRequest r) {
    return new PutRequest(
        r.getKey().toByteArray(),
        r.getValue().toByteArray(),
        r.getLease(),
        r.getPrevKv(),
        r.getIgnoreValue(),
        r.getIgnoreLease());
  }

  static DeleteRangeRequest deleteRange(io.kvorum.api.pb.etcdserverpb.DeleteRangeRequest r) {
    return new DeleteRangeRequest(
        r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getPrevKv());
  }

  static io.kvorum.api.pb.mvccpb.KeyValue kv(KeyValue kv) {
    return io.kvorum.api.pb.mvccpb.KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(kv.key()))
        .setCreateRevision(kv.createRevision())
        .setModRevision(kv.modRevision())
        .setVersion(kv.version())
        .setValue(ByteString.copyFrom(kv.value()))
        .setLease(kv.lease())
        .build();
  }

  static io.kvorum.api.pb.etcdserverpb.RangeResponse range(RangeResponse r, ResponseHeader h) {
    var b = io.kvorum.api.pb.etcdserverpb.RangeResponse.newBuilder().setHeader(h);
    r.kvs().forEach(kv -> b.addKvs(kv(kv)));
    return b.setMore(r.more()).setCount(r.count()).build();
  }

  static io.kvorum.api.pb.etcdserverpb.PutResponse put(PutResponse r, ResponseHeader h) {
    var b = io.kvorum.api.pb.etcdserverpb.PutResponse.newBuilder().setHeader(h);
    if (r.prevKv() != null) {
      b.setPrevKv(kv(r.prevKv()));
    }
    return b.build();
  }

  static io.kvorum.api.pb.etcdserverpb.DeleteRangeResponse deleteRange(
      DeleteRangeResponse r, ResponseHeader h) {
    var b = io.kvorum.api.pb.etcdserverpb.DeleteRangeResponse.newBuilder().setHeader(h);
    r.prevKvs().forEach(kv -> b.addPrevKvs(kv(kv)));
    return b.setDeleted(r.deleted()).build();
  }
}
