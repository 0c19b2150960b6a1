package io.kvorum.kv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Raft payload codec: round trips, determinism, and rejection of malformed input. */
class RequestCodecTest {
  @Test
  void randomRequestsRoundTripToIdenticalBytes() {
    RandomRequests gen = new RandomRequests(1);
    for (int i = 0; i < 5000; i++) {
      gen.revisionHint(i);
      KvRequest r = gen.next();
      byte[] once = RequestCodec.encode(r);
      KvRequest back = RequestCodec.decode(once);
      assertEquals(r.getClass(), back.getClass());
      assertArrayEquals(once, RequestCodec.encode(back), () -> "round trip of " + r);
      assertEquals(once.length, RequestCodec.encodedSize(r));
    }
  }

  @Test
  void fieldsSurviveTheRoundTrip() {
    RangeRequest r =
        new RangeRequest(
            Bytes.of("a"),
            new byte[] {0},
            10,
            -1,
            RangeRequest.SortOrder.DESCEND,
            RangeRequest.SortTarget.VALUE,
            true,
            true,
            false,
            1,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            4);
    RangeRequest back = (RangeRequest) RequestCodec.decode(RequestCodec.encode(r));
    assertArrayEquals(r.rangeEnd(), back.rangeEnd());
    assertEquals(Long.MAX_VALUE, back.maxModRevision());
    assertEquals(Long.MIN_VALUE, back.minCreateRevision());
    assertEquals(RangeRequest.SortTarget.VALUE, back.sortTarget());
    TxnRequest t =
        new TxnRequest(
            List.of(Compare.value("k", Compare.CompareResult.LESS, "v")),
            List.of(new TxnRequest(null, List.of(PutRequest.of("x", "y").withLease(3)), null)),
            List.of(DeleteRangeRequest.prefix("p")));
    TxnRequest tb = (TxnRequest) RequestCodec.decode(RequestCodec.encode(t));
    PutRequest nested = (PutRequest) ((TxnRequest) tb.success().get(0)).success().get(0);
    assertEquals(3, nested.lease());
    assertEquals("y", TestStore.str(nested.value()));
    LeaseCheckpointRequest cp =
        new LeaseCheckpointRequest(List.of(new LeaseCheckpointRequest.LeaseCheckpoint(5, 6)));
    assertEquals(cp, RequestCodec.decode(RequestCodec.encode(cp)));
  }

  @Test
  void malformedInputIsRejected() {
    byte[] ok = RequestCodec.encode(PutRequest.of("k", "v"));
    for (int cut = 0; cut < ok.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(ok, cut);
      assertThrows(IllegalArgumentException.class, () -> RequestCodec.decode(part));
    }
    byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertThrows(IllegalArgumentException.class, () -> RequestCodec.decode(longer));
    assertThrows(IllegalArgumentException.class, () -> RequestCodec.decode(new byte[] {9, 2}));
    assertThrows(IllegalArgumentException.class, () -> RequestCodec.decode(new byte[] {1, 99}));
    assertTrue(ok.length <= 10, "compact: " + ok.length);
  }
}
