package io.kvorum.api.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.kv.core.KvException;
import io.kvorum.server.KvServer;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What the gRPC services need of this member: its server, its ids for response headers, and the
 * mapping of the core's errors to etcd's gRPC statuses.
 *
 * @param server the member's running server (null while it starts or after it stopped)
 * @param clusterId the cluster id every header carries
 * @param memberId this member's id
 */
record MemberView(Supplier<KvServer> server, long clusterId, long memberId) {
  /** The running server, or UNAVAILABLE as etcd answers a member that is not serving. */
  KvServer running() {
    KvServer s = server.get();
    if (s == null) {
      throw Status.UNAVAILABLE.withDescription("etcdserver: server stopped").asRuntimeException();
    }
    return s;
  }

  /** Whether this member is a learner now (false while its server is not running). */
  boolean isLearner() {
    KvServer s = server.get();
    if (s == null || s.membership().state() == null) {
      return false;
    }
    var self = s.membership().state().members().get(memberId);
    return self != null && self.learner();
  }

  /** etcd's response header: cluster and member ids, the store revision, the Raft term. */
  ResponseHeader header(long revision) {
    KvServer s = running();
    return ResponseHeader.newBuilder()
        .setClusterId(clusterId)
        .setMemberId(memberId)
        .setRevision(revision)
        .setRaftTerm(s.status().term())
        .build();
  }

  /** The gRPC status for a failure of the core or the server: etcd's code and exact message. */
  static StatusRuntimeException toStatus(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof java.util.concurrent.ExecutionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof StatusRuntimeException s) {
      return s;
    }
    if (c instanceof KvException e) {
      return Status.fromCode(Status.Code.valueOf(e.code().name()))
          .withDescription(e.getMessage())
          .asRuntimeException();
    }
    return Status.INTERNAL.withDescription(String.valueOf(c.getMessage())).asRuntimeException();
  }
}
