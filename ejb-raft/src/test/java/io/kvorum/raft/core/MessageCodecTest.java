package io.kvorum.raft.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The binary wire format round-trips every field and rejects garbage. */
class MessageCodecTest {
  @Test
  void roundTripsEveryField() {
    Message m =
        Message.builder(MessageType.SNAPSHOT)
            .from(Long.MAX_VALUE)
            .to(-1L) // uint64 ids above 2^63 arrive as negative longs
            .term(7)
            .logTerm(6)
            .index(123456789L)
            .commit(99)
            .entries(
                List.of(
                    Entry.normal(1, 2, "abc".getBytes()),
                    new Entry(2, 2, EntryType.CONF_CHANGE, new byte[9])))
            .reject(true)
            .rejectHint(42)
            .context("ctx".getBytes())
            .snapshot(new SnapshotMetadata(5, 4, new ConfState(Set.of(1L, 2L), Set.of(3L)), 1000))
            .snapshotOffset(512)
            .snapshotData(new byte[] {1, 2, 3})
            .build();
    Message back = MessageCodec.decode(MessageCodec.encode(m));
    assertEquals(m.toString(), back.toString());
    assertEquals(m.entries(), back.entries());
    assertEquals(m.snapshot(), back.snapshot());
    assertArrayEquals(m.context(), back.context());
    assertArrayEquals(m.snapshotData(), back.snapshotData());
    assertEquals(m.to(), back.to());
  }

  @Test
  void roundTripsRandomMessages() {
    Random rnd = new Random(7);
    for (int i = 0; i < 2000; i++) {
      MessageType t = MessageType.values()[rnd.nextInt(MessageType.values().length)];
      Message m =
          Message.builder(t)
              .from(rnd.nextLong())
              .to(rnd.nextInt(5))
              .term(rnd.nextInt(1000))
              .index(rnd.nextLong() >>> rnd.nextInt(64))
              .reject(rnd.nextBoolean())
              .context(rnd.nextBoolean() ? null : new byte[rnd.nextInt(4)])
              .build();
      byte[] frame = MessageCodec.encode(m);
      Message back = MessageCodec.decode(frame);
      assertArrayEquals(frame, MessageCodec.encode(back));
      assertEquals(m.index(), back.index());
      assertEquals(m.from(), back.from());
    }
  }

  @Test
  void smallMessagesAreCompact() {
    Message hb = Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(3).commit(100).build();
    assertEquals(11, MessageCodec.encode(hb).length, "3 header bytes + 8 one-byte varints");
  }

  @Test
  void rejectsTruncatedAndUnknownFrames() {
    byte[] frame =
        MessageCodec.encode(
            Message.builder(MessageType.APPEND)
                .entries(List.of(Entry.normal(1, 1, "x".getBytes())))
                .build());
    for (int n = 0; n < frame.length; n++) {
      byte[] cut = Arrays.copyOf(frame, n);
      assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(cut));
    }
    byte[] bad = frame.clone();
    bad[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(bad));
  }
}
