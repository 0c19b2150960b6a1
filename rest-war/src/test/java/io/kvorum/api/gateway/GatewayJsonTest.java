package io.kvorum.api.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kvorum.api.pb.etcdserverpb.AuthUserListResponse;
import io.kvorum.api.pb.etcdserverpb.Compare;
import io.kvorum.api.pb.etcdserverpb.DeleteRangeResponse;
import io.kvorum.api.pb.etcdserverpb.HashResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantRequest;
import io.kvorum.api.pb.etcdserverpb.LeaseGrantResponse;
import io.kvorum.api.pb.etcdserverpb.LeaseTimeToLiveResponse;
import io.kvorum.api.pb.etcdserverpb.Member;
import io.kvorum.api.pb.etcdserverpb.MemberListResponse;
import io.kvorum.api.pb.etcdserverpb.PutResponse;
import io.kvorum.api.pb.etcdserverpb.RangeRequest;
import io.kvorum.api.pb.etcdserverpb.RangeResponse;
import io.kvorum.api.pb.etcdserverpb.ResponseHeader;
import io.kvorum.api.pb.etcdserverpb.ResponseOp;
import io.kvorum.api.pb.etcdserverpb.StatusResponse;
import io.kvorum.api.pb.etcdserverpb.TxnResponse;
import io.kvorum.api.pb.etcdserverpb.WatchResponse;
import io.kvorum.api.pb.mvccpb.Event;
import io.kvorum.api.pb.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * Pins the gateway JSON to what real etcd 3.4.23 printed.
 *
 * <p>Every expected string below was printed by etcd 3.4.23's gateway (one member on loopback,
 * {@code curl -X POST 127.0.0.1:12379/v3/...}, 2026-11-25) and is compared byte for byte with
 * {@link GatewayJson}'s output for a message holding the same values. Cluster and member IDs are
 * that run's; both exceed 2^63, so they also check unsigned printing.
 */
class GatewayJsonTest {

  private static final long CLUSTER_ID = Long.parseUnsignedLong("12101053776118486841");
  private static final long MEMBER_ID = Long.parseUnsignedLong("15985099378392235387");
  private static final String HEADER_JSON =
      "{\"cluster_id\":\"12101053776118486841\",\"member_id\":\"15985099378392235387\","
          + "\"revision\":\"%d\",\"raft_term\":\"2\"}";

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(CLUSTER_ID)
        .setMemberId(MEMBER_ID)
        .setRevision(revision)
        .setRaftTerm(2)
        .build();
  }

  private static String header(int revision) {
    return String.format(HEADER_JSON, revision);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static KeyValue kv(String key, String value, long create, long mod, long version) {
    return KeyValue.newBuilder()
        .setKey(utf8(key))
        .setValue(utf8(value))
        .setCreateRevision(create)
        .setModRevision(mod)
        .setVersion(version)
        .build();
  }

  @Test
  void putResponseIsItsHeaderWithInt64AsStrings() {
    // curl /v3/kv/put -d '{"key":"Zm9v","value":"YmFy"}'
    assertEquals(
        "{\"header\":" + header(2) + "}",
        GatewayJson.print(PutResponse.newBuilder().setHeader(header(2L)).build()));
  }

  @Test
  void putWithPrevKvPrintsKeyValueFieldsByProtoNameAndBytesAsBase64() {
    // curl /v3/kv/put -d '{"key":"Zm9v","value":"YmF6","prev_kv":true}'
    PutResponse put =
        PutResponse.newBuilder().setHeader(header(3L)).setPrevKv(kv("foo", "bar", 2, 2, 1)).build();
    assertEquals(
        "{\"header\":"
            + header(3)
            + ",\"prev_kv\":{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
            + "\"version\":\"1\",\"value\":\"YmFy\"}}",
        GatewayJson.print(put));
  }

  @Test
  void rangeResponseOmitsFalseMoreAndPrintsCount() {
    // curl /v3/kv/range -d '{"key":"Zm9v"}'
    RangeResponse range =
        RangeResponse.newBuilder()
            .setHeader(header(3L))
            .addKvs(kv("foo", "baz", 2, 3, 2))
            .setCount(1)
            .build();
    assertEquals(
        "{\"header\":"
            + header(3)
            + ",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"3\","
            + "\"version\":\"2\",\"value\":\"YmF6\"}],\"count\":\"1\"}",
        GatewayJson.print(range));
  }

  @Test
  void rangeOfAMissingKeyIsTheHeaderAloneAndCountOnlyIsHeaderAndCount() {
    // curl /v3/kv/range -d '{"key":"bm9uZQ=="}'  and  -d '{"key":"Zm9v","count_only":true}'
    assertEquals(
        "{\"header\":" + header(3) + "}",
        GatewayJson.print(RangeResponse.newBuilder().setHeader(header(3L)).build()));
    assertEquals(
        "{\"header\":" + header(3) + ",\"count\":\"1\"}",
        GatewayJson.print(RangeResponse.newBuilder().setHeader(header(3L)).setCount(1).build()));
  }

  @Test
  void statusUsesItsCamelCaseProtoNames() {
    // curl /v3/maintenance/status -d '{}'
    StatusResponse status =
        StatusResponse.newBuilder()
            .setHeader(header(3L))
            .setVersion("3.4.23")
            .setDbSize(20480)
            .setLeader(MEMBER_ID)
            .setRaftIndex(7)
            .setRaftTerm(2)
            .setRaftAppliedIndex(7)
            .setDbSizeInUse(16384)
            .build();
    assertEquals(
        "{\"header\":"
            + header(3)
            + ",\"version\":\"3.4.23\",\"dbSize\":\"20480\",\"leader\":\"15985099378392235387\","
            + "\"raftIndex\":\"7\",\"raftTerm\":\"2\",\"raftAppliedIndex\":\"7\","
            + "\"dbSizeInUse\":\"16384\"}",
        GatewayJson.print(status));
  }

  @Test
  void uint32IsAnUnsignedNumber() {
    // curl /v3/maintenance/hash -d '{}' printed "hash":668635262; 3486684737 needs the top bit.
    assertEquals(
        "{\"header\":" + header(3) + ",\"hash\":668635262}",
        GatewayJson.print(
            HashResponse.newBuilder().setHeader(header(3L)).setHash(668635262).build()));
    assertEquals(
        "{\"hash\":3486684737}",
        GatewayJson.print(HashResponse.newBuilder().setHash((int) 3486684737L).build()));
  }

  @Test
  void memberListOmitsZeroRevisionAndFalseIsLearner() {
    // curl /v3/cluster/member/list -d '{}'
    MemberListResponse members =
        MemberListResponse.newBuilder()
            .setHeader(
                ResponseHeader.newBuilder()
                    .setClusterId(CLUSTER_ID)
                    .setMemberId(MEMBER_ID)
                    .setRaftTerm(2))
            .addMembers(
                Member.newBuilder()
                    .setID(MEMBER_ID)
                    .setName("gw")
                    .addPeerURLs("http://127.0.0.1:12380")
                    .addClientURLs("http://127.0.0.1:12379"))
            .build();
    assertEquals(
        "{\"header\":{\"cluster_id\":\"12101053776118486841\",\"member_id\":\"15985099378392235387\","
            + "\"raft_term\":\"2\"},\"members\":[{\"ID\":\"15985099378392235387\",\"name\":\"gw\","
            + "\"peerURLs\":[\"http://127.0.0.1:12380\"],"
            + "\"clientURLs\":[\"http://127.0.0.1:12379\"]}]}",
        GatewayJson.print(members));
  }

  @Test
  void leaseIdsAndTtlsAreStringsIncludingMinusOne() {
    // curl /v3/lease/grant -d '{"TTL":60,"ID":777}'  and  /v3/lease/timetolive -d '{"ID":"999"}'
    assertEquals(
        "{\"header\":" + header(3) + ",\"ID\":\"777\",\"TTL\":\"60\"}",
        GatewayJson.print(
            LeaseGrantResponse.newBuilder().setHeader(header(3L)).setID(777).setTTL(60).build()));
    assertEquals(
        "{\"header\":" + header(3) + ",\"ID\":\"999\",\"TTL\":\"-1\"}",
        GatewayJson.print(
            LeaseTimeToLiveResponse.newBuilder()
                .setHeader(header(3L))
                .setID(999)
                .setTTL(-1)
                .build()));
  }

  @Test
  void deleteRangeWithPrevKv() {
    // curl /v3/kv/deleterange -d '{"key":"Zm9v","prev_kv":true}'
    DeleteRangeResponse deleted =
        DeleteRangeResponse.newBuilder()
            .setHeader(header(4L))
            .setDeleted(1)
            .addPrevKvs(kv("foo", "baz", 2, 3, 2))
            .build();
    assertEquals(
        "{\"header\":"
            + header(4)
            + ",\"deleted\":\"1\",\"prev_kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\","
            + "\"mod_revision\":\"3\",\"version\":\"2\",\"value\":\"YmF6\"}]}",
        GatewayJson.print(deleted));
  }

  @Test
  void txnResponsesUseTheOneofMemberNames() {
    // curl /v3/kv/txn with a VERSION compare, a put and a range in success
    TxnResponse txn =
        TxnResponse.newBuilder()
            .setHeader(header(8L))
            .setSucceeded(true)
            .addResponses(
                ResponseOp.newBuilder()
                    .setResponsePut(
                        PutResponse.newBuilder()
                            .setHeader(ResponseHeader.newBuilder().setRevision(8))))
            .addResponses(
                ResponseOp.newBuilder()
                    .setResponseRange(
                        RangeResponse.newBuilder()
                            .setHeader(ResponseHeader.newBuilder().setRevision(8))
                            .addKvs(kv("a1", "x", 8, 8, 1))
                            .setCount(1)))
            .build();
    assertEquals(
        "{\"header\":"
            + header(8)
            + ",\"succeeded\":true,\"responses\":[{\"response_put\":{\"header\":{\"revision\":\"8\"}}},"
            + "{\"response_range\":{\"header\":{\"revision\":\"8\"},\"kvs\":[{\"key\":\"YTE=\","
            + "\"create_revision\":\"8\",\"mod_revision\":\"8\",\"version\":\"1\",\"value\":\"eA==\"}],"
            + "\"count\":\"1\"}}]}",
        GatewayJson.print(txn));
  }

  @Test
  void watchStreamIsNewlineDelimitedResultsWithPutTypeOmittedAndDeleteNamed() {
    // curl -N /v3/watch -d '{"create_request":{"key":"YQ==","range_end":"Yg==","prev_kv":true}}'
    // then a put and a delete of "a1"
    String created =
        GatewayJson.printStreamResult(
            WatchResponse.newBuilder().setHeader(header(5L)).setCreated(true).build());
    String put =
        GatewayJson.printStreamResult(
            WatchResponse.newBuilder()
                .setHeader(header(6L))
                .addEvents(Event.newBuilder().setKv(kv("a1", "v1", 6, 6, 1)))
                .build());
    String delete =
        GatewayJson.printStreamResult(
            WatchResponse.newBuilder()
                .setHeader(header(7L))
                .addEvents(
                    Event.newBuilder()
                        .setType(Event.EventType.DELETE)
                        .setKv(KeyValue.newBuilder().setKey(utf8("a1")).setModRevision(7))
                        .setPrevKv(kv("a1", "v1", 6, 6, 1)))
                .build());
    assertEquals("{\"result\":{\"header\":" + header(5) + ",\"created\":true}}\n", created);
    assertEquals(
        "{\"result\":{\"header\":"
            + header(6)
            + ",\"events\":[{\"kv\":{\"key\":\"YTE=\",\"create_revision\":\"6\",\"mod_revision\":\"6\","
            + "\"version\":\"1\",\"value\":\"djE=\"}}]}}\n",
        put);
    assertEquals(
        "{\"result\":{\"header\":"
            + header(7)
            + ",\"events\":[{\"type\":\"DELETE\",\"kv\":{\"key\":\"YTE=\",\"mod_revision\":\"7\"},"
            + "\"prev_kv\":{\"key\":\"YTE=\",\"create_revision\":\"6\",\"mod_revision\":\"6\","
            + "\"version\":\"1\",\"value\":\"djE=\"}}]}}\n",
        delete);
  }

  @Test
  void compactedWatchAndProgressNotify() {
    // start_revision below the compaction; and a progress_request (watch_id -1)
    ResponseHeader noRevision =
        ResponseHeader.newBuilder()
            .setClusterId(CLUSTER_ID)
            .setMemberId(MEMBER_ID)
            .setRaftTerm(2)
            .build();
    assertEquals(
        "{\"result\":{\"header\":{\"cluster_id\":\"12101053776118486841\","
            + "\"member_id\":\"15985099378392235387\",\"raft_term\":\"2\"},\"canceled\":true,"
            + "\"compact_revision\":\"3\"}}\n",
        GatewayJson.printStreamResult(
            WatchResponse.newBuilder()
                .setHeader(noRevision)
                .setCanceled(true)
                .setCompactRevision(3)
                .build()));
    assertEquals(
        "{\"result\":{\"header\":" + header(5) + ",\"watch_id\":\"-1\"}}\n",
        GatewayJson.printStreamResult(
            WatchResponse.newBuilder().setHeader(header(5L)).setWatchId(-1).build()));
  }

  @Test
  void stringsAreEscapedLikeGo() {
    // curl /v3/auth/user/add -d '{"name":"a<b&c","password":"p"}' then /v3/auth/user/list
    assertEquals(
        "{\"header\":" + header(1) + ",\"users\":[\"a\\u003cb\\u0026c\"]}",
        GatewayJson.print(
            AuthUserListResponse.newBuilder().setHeader(header(1L)).addUsers("a<b&c").build()));
    // Go's encoding/json rules (not provoked on etcd): quotes, controls, line separators.
    StringBuilder out = new StringBuilder();
    GatewayJson.writeString(out, "q\"\\\n\r\t\u0001>\u2028\u2029é😀");
    assertEquals("\"q\\\"\\\\\\n\\r\\t\\u0001\\u003e\\u2028\\u2029é😀\"", out.toString());
  }

  @Test
  void aOneofMemberSetToZeroIsPrinted() {
    // jsonpb prints a set oneof member even at its zero value; plain fields at zero are omitted.
    Compare compare =
        Compare.newBuilder()
            .setKey(utf8("a1"))
            .setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL)
            .setVersion(0)
            .build();
    assertEquals("{\"key\":\"YTE=\",\"version\":\"0\"}", GatewayJson.print(compare));
  }

  @Test
  void parsingAcceptsInt64AsStringOrNumberEnumsByNameOrNumberAndIgnoresUnknownFields() {
    RangeRequest expected =
        RangeRequest.newBuilder()
            .setKey(utf8("foo"))
            .setRevision(2)
            .setSortOrder(RangeRequest.SortOrder.DESCEND)
            .setSortTarget(RangeRequest.SortTarget.CREATE)
            .build();
    assertEquals(
        expected,
        GatewayJson.parse(
                "{\"key\":\"Zm9v\",\"revision\":2,\"sort_order\":\"DESCEND\",\"sort_target\":2}",
                RangeRequest.newBuilder())
            .build());
    assertEquals(
        expected,
        GatewayJson.parse(
                "{\"key\":\"Zm9v\",\"revision\":\"2\",\"sort_order\":2,\"sort_target\":\"CREATE\","
                    + "\"bogus\":1}",
                RangeRequest.newBuilder())
            .build());
    assertEquals(
        LeaseGrantRequest.newBuilder().setTTL(60).setID(777).build(),
        GatewayJson.parse("{\"TTL\":60,\"ID\":\"777\"}", LeaseGrantRequest.newBuilder()).build());
  }

  @Test
  void unparsableBodiesAreInvalidArgumentWith400() {
    // etcd: 'not json' and "revision":1.5 both gave code 3, HTTP 400 (with Go's own messages).
    for (String body : new String[] {"not json", "{\"key\":\"Zm9v\",\"revision\":1.5}"}) {
      GatewayException e =
          assertThrows(
              GatewayException.class, () -> GatewayJson.parse(body, RangeRequest.newBuilder()));
      GatewayError error = GatewayError.of(e);
      assertEquals(400, error.httpStatus(), body);
      assertEquals(3, error.code(), body);
    }
  }

  @Test
  void errorsAsEtcdReturnedThem() {
    assertError(
        400,
        "{\"error\":\"etcdserver: mvcc: required revision is a future revision\","
            + "\"message\":\"etcdserver: mvcc: required revision is a future revision\",\"code\":11}",
        Status.OUT_OF_RANGE.withDescription(
            "etcdserver: mvcc: required revision is a future revision"));
    assertError(
        400,
        "{\"error\":\"etcdserver: key is not provided\","
            + "\"message\":\"etcdserver: key is not provided\",\"code\":3}",
        Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided"));
    assertError(
        412,
        "{\"error\":\"etcdserver: lease already exists\","
            + "\"message\":\"etcdserver: lease already exists\",\"code\":9}",
        Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists"));
    assertError(
        404,
        "{\"error\":\"etcdserver: requested lease not found\","
            + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}",
        Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"));
    assertError(
        401,
        "{\"error\":\"etcdserver: invalid auth token\","
            + "\"message\":\"etcdserver: invalid auth token\",\"code\":16}",
        Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token"));
    assertError(
        403,
        "{\"error\":\"etcdserver: permission denied\","
            + "\"message\":\"etcdserver: permission denied\",\"code\":7}",
        Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied"));
  }

  @Test
  void statusesNotProvokedOnEtcdFollowGrpcGatewayV1() {
    assertEquals(429, GatewayError.httpStatus(Status.Code.RESOURCE_EXHAUSTED));
    assertEquals(503, GatewayError.httpStatus(Status.Code.UNAVAILABLE));
    assertEquals(504, GatewayError.httpStatus(Status.Code.DEADLINE_EXCEEDED));
    assertEquals(500, GatewayError.httpStatus(Status.Code.DATA_LOSS));
    assertEquals(501, GatewayError.httpStatus(Status.Code.UNIMPLEMENTED));
    assertEquals(409, GatewayError.httpStatus(Status.Code.ALREADY_EXISTS));
    assertEquals(408, GatewayError.httpStatus(Status.Code.CANCELLED));
  }

  private static void assertError(int httpStatus, String json, Status status) {
    GatewayError error = GatewayError.of(status);
    assertEquals(httpStatus, error.httpStatus());
    assertEquals(json, error.toJson());
  }
}
