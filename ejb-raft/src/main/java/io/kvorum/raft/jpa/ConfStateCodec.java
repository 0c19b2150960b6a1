package io.kvorum.raft.jpa;

import io.kvorum.raft.core.ConfState;
import java.util.Set;
import java.util.TreeSet;

/** Member id sets as comma-separated decimal ids (the raft_snapshot voters/learners columns). */
final class ConfStateCodec {
  private ConfStateCodec() {}

  static String format(Set<Long> ids) {
    StringBuilder s = new StringBuilder();
    for (long id : ids) {
      s.append(s.length() == 0 ? "" : ",").append(Long.toUnsignedString(id));
    }
    return s.toString();
  }

  static Set<Long> parse(String s) {
    Set<Long> out = new TreeSet<>();
    if (s != null && !s.isEmpty()) {
      for (String part : s.split(",")) {
        out.add(Long.parseUnsignedLong(part));
      }
    }
    return out;
  }

  static ConfState confState(String voters, String learners) {
    return new ConfState(parse(voters), parse(learners));
  }
}
