package io.kvorum.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster member as etcd's MemberList shows it: its raft attributes (peer URLs, learner), set by
 * conf changes, and its attributes (name, client URLs), published by the member once it started. An
 * empty name means "unstarted".
 *
 * @param id the member id
 * @param name the member's name; empty until it published its attributes
 * @param peerUrls where members reach it
 * @param clientUrls where clients reach it; empty until it published its attributes
 * @param learner whether it is a learner (non-voting) member
 */
public record MemberRecord(
    long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
  public MemberRecord {
    peerUrls = List.copyOf(peerUrls);
    clientUrls = List.copyOf(clientUrls);
  }

  /** Whether the member published its attributes (etcdctl's "started"). */
  public boolean started() {
    return !name.isEmpty();
  }

  MemberRecord withAttributes(String newName, List<String> newClientUrls) {
    return new MemberRecord(id, newName, peerUrls, newClientUrls, learner);
  }

  MemberRecord withPeerUrls(List<String> urls) {
    return new MemberRecord(id, name, urls, clientUrls, learner);
  }

  MemberRecord promoted() {
    return new MemberRecord(id, name, peerUrls, clientUrls, false);
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeLong(id);
    out.writeUTF(name);
    writeStrings(out, peerUrls);
    writeStrings(out, clientUrls);
    out.writeBoolean(learner);
  }

  static MemberRecord readFrom(DataInputStream in) throws IOException {
    return new MemberRecord(
        in.readLong(), in.readUTF(), readStrings(in), readStrings(in), in.readBoolean());
  }

  byte[] encode() {
    return Codec.write(this::writeTo);
  }

  static MemberRecord decode(byte[] data) {
    return Codec.read(data, MemberRecord::readFrom);
  }

  static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeShort(values.size());
    for (String v : values) {
      out.writeUTF(v);
    }
  }

  static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  /** Small binary encodings over data streams. */
  static final class Codec {
    private Codec() {}

    interface Writer {
      void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
      T read(DataInputStream in) throws IOException;
    }

    static byte[] write(Writer w) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        w.write(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    static <T> T read(byte[] data, Reader<T> r) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        return r.read(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("malformed membership data", e);
      }
    }
  }
}
