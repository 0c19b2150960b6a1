package io.kvorum.raft.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerFrameTest {
  @Test
  void roundTripsABatch() {
    PeerFrame f = new PeerFrame(-7L, 1L, Long.MIN_VALUE, List.of(new byte[] {1, 2}, new byte[0]));
    PeerFrame back = PeerFrame.decode(f.encode());
    assertEquals(-7L, back.clusterId());
    assertEquals(1L, back.from());
    assertEquals(Long.MIN_VALUE, back.to());
    assertEquals(2, back.messages().size());
    assertArrayEquals(new byte[] {1, 2}, back.messages().get(0));
    assertArrayEquals(new byte[0], back.messages().get(1));
  }

  @Test
  void rejectsWhatIsNotAFrame() {
    byte[] good = new PeerFrame(1, 2, 3, List.of(new byte[] {9, 9, 9})).encode();
    assertThrows(IllegalArgumentException.class, () -> PeerFrame.decode(new byte[] {'X', 'V', 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> PeerFrame.decode(Arrays.copyOf(good, good.length - 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> PeerFrame.decode(Arrays.copyOf(good, good.length + 1)));
    byte[] hugeCount = good.clone();
    hugeCount[PeerFrame.HEADER_BYTES - 1] = 100;
    assertThrows(IllegalArgumentException.class, () -> PeerFrame.decode(hugeCount));
  }
}
