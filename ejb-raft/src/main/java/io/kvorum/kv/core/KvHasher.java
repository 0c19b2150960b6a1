package io.kvorum.kv.core;

import java.util.List;
import java.util.zip.CRC32C;

/** Hashes stored revisions page by page, with bounded memory. */
final class KvHasher {
  private static final int PAGE = 1000;

  private KvHasher() {}

  /** CRC-32C over the rows with main revision &lt;= {@code rev}, in revision order. */
  static long hashRows(MvccStore s, long rev, CRC32C crc) {
    long main = 0;
    int sub = 0;
    while (true) {
      List<RevisionRow> page = s.history(main, sub, rev, PAGE);
      for (RevisionRow r : page) {
        crc.update(encode(r));
      }
      if (page.size() < PAGE) {
        return crc.getValue();
      }
      Revision last = page.get(page.size() - 1).revision();
      main = last.main();
      sub = last.sub() + 1;
    }
  }

  static byte[] encode(RevisionRow r) {
    KeyValue kv = r.kv();
    return new Wire.Writer()
        .varint(r.revision().main())
        .uvarint(r.revision().sub())
        .bool(r.tombstone())
        .bytes(kv.key())
        .bytes(kv.value())
        .varint(kv.createRevision())
        .varint(kv.version())
        .varint(kv.lease())
        .toByteArray();
  }
}
