package io.kvorum.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * Linearizable reads waiting for a read index, batched as etcd batches them: every read queued
 * while the driver was busy shares one ReadIndex round (one context, one heartbeat quorum), so a
 * burst of reads costs one round instead of one each. Then each read waits until this member has
 * applied up to the batch's index.
 *
 * <p>Threading: {@link #enqueue} from any thread; everything else from the driver thread only.
 */
final class ReadIndexBatches {
  private final ConcurrentLinkedQueue<Long> queued = new ConcurrentLinkedQueue<>();

  /** Batches sent to the core with no answer yet: context → read ids. */
  private final Map<Long, List<Long>> inFlight = new HashMap<>();

  /** When each batch was (re)sent, in ticks. */
  private final Map<Long, Long> sentAt = new HashMap<>();

  /** Answered batches waiting for the member to apply up to their index: index → read ids. */
  private final TreeMap<Long, List<Long>> waitingForApply = new TreeMap<>();

  /** Queues a read (any thread); the driver sends it with the next batch. */
  void enqueue(long readId) {
    queued.add(readId);
  }

  /**
   * Takes every queued read into one batch under a new {@code context}, sent at {@code tick}.
   *
   * @return the context to hand to the core, or null if nothing was queued
   */
  byte[] nextBatch(java.util.function.LongSupplier context, long tick) {
    if (queued.isEmpty()) {
      return null;
    }
    List<Long> ids = new ArrayList<>();
    Long id;
    while ((id = queued.poll()) != null) {
      ids.add(id);
    }
    long ctx = context.getAsLong();
    inFlight.put(ctx, ids);
    sentAt.put(ctx, tick);
    return encode(ctx);
  }

  /**
   * The contexts to send again: a ReadIndex request can be lost (a leader change, a dropped
   * message) and the core does not retry it. Batches unanswered for {@code timeoutTicks} are
   * re-sent under the same context; reads no longer {@code waiting} (timed out) are dropped from
   * them first.
   */
  List<byte[]> due(long tick, long timeoutTicks, LongPredicate waiting) {
    List<byte[]> again = new ArrayList<>();
    inFlight
        .entrySet()
        .removeIf(
            e -> {
              e.getValue().removeIf(id -> !waiting.test(id));
              if (e.getValue().isEmpty()) {
                sentAt.remove(e.getKey());
                return true;
              }
              return false;
            });
    for (Map.Entry<Long, Long> e : sentAt.entrySet()) {
      if (tick - e.getValue() >= timeoutTicks) {
        e.setValue(tick);
        again.add(encode(e.getKey()));
      }
    }
    return again;
  }

  /**
   * The core's answer for a batch: its reads complete now if {@code applied} covers the index,
   * otherwise when it does ({@link #applied}). A duplicate answer (to a re-sent batch) is ignored.
   */
  void answered(byte[] context, long index, long applied, LongConsumer complete) {
    long ctx = ByteBuffer.wrap(context).getLong();
    List<Long> ids = inFlight.remove(ctx);
    sentAt.remove(ctx);
    if (ids == null) {
      return;
    }
    if (index <= applied) {
      ids.forEach(complete::accept);
    } else {
      waitingForApply.computeIfAbsent(index, i -> new ArrayList<>()).addAll(ids);
    }
  }

  /** The member applied up to {@code applied}: reads waiting for an index it covers complete. */
  void applied(long applied, LongConsumer complete) {
    var done = waitingForApply.headMap(applied, true);
    done.values().forEach(ids -> ids.forEach(complete::accept));
    done.clear();
  }

  private static byte[] encode(long context) {
    return ByteBuffer.allocate(8).putLong(context).array();
  }
}
