package io.kvorum.raft.sim;

import io.kvorum.raft.core.Message;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The simulated network: every message gets a random delay (so messages reorder), and may be
 * dropped or duplicated; directed links can be cut (a symmetric partition cuts both directions).
 */
final class SimNetwork {
  record InFlight(long deliverAt, long seq, Message message) {}

  private final Random random;
  private final PriorityQueue<InFlight> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.deliverAt != b.deliverAt
                  ? Long.compare(a.deliverAt, b.deliverAt)
                  : Long.compare(a.seq, b.seq));
  private final Set<Long> cut = new HashSet<>();
  private long seq;

  double dropRate;
  double duplicateRate;
  int maxDelay = 20;
  long sent;
  long dropped;

  SimNetwork(Random random) {
    this.random = random;
  }

  private static long link(long from, long to) {
    return from * 1_000_003L + to;
  }

  /** Cuts the link from {@code from} to {@code to} (one way). */
  void cut(long from, long to) {
    cut.add(link(from, to));
  }

  boolean isCut(long from, long to) {
    return cut.contains(link(from, to));
  }

  void healLinks() {
    cut.clear();
  }

  void send(long now, Message m) {
    sent++;
    if (random.nextDouble() < dropRate) {
      dropped++;
      return;
    }
    int copies = random.nextDouble() < duplicateRate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      queue.add(new InFlight(now + 1 + random.nextInt(maxDelay), seq++, m));
    }
  }

  /** Returns the next message due at or before {@code now}, or null. Cut links drop on arrival. */
  Message poll(long now) {
    while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
      Message m = queue.poll().message;
      if (isCut(m.from(), m.to())) {
        dropped++;
        continue;
      }
      return m;
    }
    return null;
  }
}
