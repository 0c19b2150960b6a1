package io.kvorum.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadIndexBatchesTest {
  private final ReadIndexBatches batches = new ReadIndexBatches();
  private final List<Long> completed = new ArrayList<>();

  @Test
  void readsQueuedTogetherShareOneRoundAndCompleteOnceApplied() {
    assertNull(batches.nextBatch(() -> 100, 0), "nothing queued, no round");
    batches.enqueue(1);
    batches.enqueue(2);
    batches.enqueue(3);
    byte[] ctx = batches.nextBatch(() -> 100, 0);
    assertNull(batches.nextBatch(() -> 101, 0), "all three went in the first batch");
    batches.answered(ctx, 50, 40, completed::add);
    assertEquals(List.of(), completed, "index 50 not applied yet");
    batches.applied(49, completed::add);
    assertEquals(List.of(), completed);
    batches.applied(50, completed::add);
    assertEquals(List.of(1L, 2L, 3L), completed);
    batches.answered(ctx, 50, 50, completed::add);
    assertEquals(List.of(1L, 2L, 3L), completed, "a duplicate answer is ignored");
  }

  @Test
  void anAnswerAtAnAppliedIndexCompletesAtOnce() {
    batches.enqueue(7);
    batches.answered(batches.nextBatch(() -> 5, 0), 10, 10, completed::add);
    assertEquals(List.of(7L), completed);
  }

  @Test
  void anUnansweredBatchIsResentUnderItsContextWithoutReadsThatTimedOut() {
    batches.enqueue(1);
    batches.enqueue(2);
    byte[] ctx = batches.nextBatch(() -> 9, 0);
    assertEquals(List.of(), batches.due(9, 10, id -> true), "not yet due");
    List<byte[]> again = batches.due(10, 10, id -> id == 2);
    assertEquals(1, again.size());
    assertArrayEquals(ctx, again.get(0));
    assertEquals(List.of(), batches.due(15, 10, id -> true), "re-sent at tick 10");
    batches.answered(ctx, 3, 3, completed::add);
    assertEquals(List.of(2L), completed, "read 1 had timed out");
    batches.enqueue(4);
    batches.nextBatch(() -> 11, 20);
    assertEquals(List.of(), batches.due(40, 10, id -> !Set.of(4L).contains(id)), "all gone");
  }
}
