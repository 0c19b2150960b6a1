package io.kvorum.member;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids derived as etcd derives them, so the same initial cluster gets the same
 * ids in Kvorum and in etcd (and two clusters with different tokens never share an id).
 *
 * <ul>
 *   <li>member id: the first 8 bytes (big-endian) of SHA-1 over the member's peer URLs, sorted and
 *       concatenated, followed by the cluster token (etcd's membership.NewMember without a time);
 *   <li>cluster id: the first 8 bytes of SHA-1 over the sorted member ids, each as 8 big-endian
 *       bytes (etcd's RaftCluster.genID).
 * </ul>
 *
 * Ids are uint64 in etcd; here they are longs with the same bits (print with {@link
 * Long#toUnsignedString} or {@link #hex}).
 */
public final class MemberIds {
  private MemberIds() {}

  /** The id etcd gives a member of the initial cluster with these peer URLs and this token. */
  public static long memberId(Collection<URI> peerUrls, String clusterToken) {
    List<String> urls = new ArrayList<>();
    peerUrls.forEach(u -> urls.add(u.toString()));
    urls.sort(null);
    StringBuilder b = new StringBuilder();
    urls.forEach(b::append);
    b.append(clusterToken);
    return first8(sha1(b.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The id etcd gives a member added at runtime (MemberAdd): its peer URLs followed by the time in
   * Unix seconds, without a cluster token; adding the same URLs twice within one second yields the
   * same id ("member ID already exist").
   */
  public static long runtimeMemberId(Collection<URI> peerUrls, long unixSeconds) {
    return memberId(peerUrls, Long.toString(unixSeconds));
  }

  /** The cluster id etcd derives from the initial members' ids. */
  public static long clusterId(Collection<Long> memberIds) {
    long[] ids = memberIds.stream().mapToLong(Long::longValue).toArray();
    // etcd sorts the ids as uint64.
    Long[] boxed = Arrays.stream(ids).boxed().toArray(Long[]::new);
    Arrays.sort(boxed, Long::compareUnsigned);
    ByteBuffer buf = ByteBuffer.allocate(8 * boxed.length);
    for (Long id : boxed) {
      buf.putLong(id);
    }
    return first8(sha1(buf.array()));
  }

  /** An id as etcdctl prints it: lower-case hex without leading zeros. */
  public static String hex(long id) {
    return Long.toHexString(id);
  }

  private static long first8(byte[] hash) {
    return ByteBuffer.wrap(hash, 0, 8).getLong();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
