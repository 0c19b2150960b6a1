package io.kvorum.api.pb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kvorum.api.pb.authpb.AuthProto;
import io.kvorum.api.pb.etcdserverpb.RpcProto;
import io.kvorum.api.pb.mvccpb.KvProto;
import io.kvorum.api.pb.v3electionpb.V3ElectionProto;
import io.kvorum.api.pb.v3lockpb.V3LockProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins Kvorum's .proto files to etcd 3.4's wire interface.
 *
 * <p>etcd (a Go program built with golang/protobuf) embeds each of its .proto files as a gzipped
 * FileDescriptorProto. This test finds them in the installed etcd 3.4.23 server binary ({@code
 * -Dkvorum.etcd.binary}, default {@code /usr/bin/etcd}) and compares every service, method,
 * message, field (name, number, type, label, type name, oneof) and enum value with the descriptors
 * compiled from {@code src/main/proto}. Options (gogoproto, google.api.http), JSON names and file
 * names are ignored: they are not on the wire.
 */
class EtcdProtoConformanceTest {

  private static final Path ETCD_BINARY =
      Path.of(System.getProperty("kvorum.etcd.binary", "/usr/bin/etcd"));

  private static final Map<String, FileDescriptorProto> ETCD = new HashMap<>();

  @BeforeAll
  static void readEtcdDescriptors() throws IOException {
    assumeTrue(
        Files.isRegularFile(ETCD_BINARY),
        "etcd 3.4.23 is not installed at " + ETCD_BINARY + " (Debian package etcd-server)");
    byte[] binary = Files.readAllBytes(ETCD_BINARY);
    // Go's gzip writer leaves the header's mtime zero: 1f 8b 08 00 00 00 00 00.
    for (int i = 0; i + 10 < binary.length; i++) {
      if ((binary[i] & 0xff) != 0x1f || (binary[i + 1] & 0xff) != 0x8b || binary[i + 2] != 8) {
        continue;
      }
      if (binary[i + 3] != 0 || binary[i + 4] != 0 || binary[i + 7] != 0) {
        continue;
      }
      FileDescriptorProto file = tryDecode(binary, i);
      if (file != null && file.getName().endsWith(".proto")) {
        ETCD.putIfAbsent(file.getPackage() + "/" + file.getName(), file);
      }
    }
    assertTrue(ETCD.containsKey("etcdserverpb/rpc.proto"), "no rpc.proto in " + ETCD.keySet());
  }

  private static FileDescriptorProto tryDecode(byte[] binary, int offset) {
    try (GZIPInputStream in =
        new GZIPInputStream(
            new ByteArrayInputStream(binary, offset, Math.min(1 << 20, binary.length - offset)))) {
      return FileDescriptorProto.parseFrom(in.readNBytes(1 << 20));
    } catch (IOException | RuntimeException notADescriptor) {
      return null;
    }
  }

  static List<Object[]> files() {
    List<Object[]> files = new ArrayList<>();
    files.add(new Object[] {"etcdserverpb/rpc.proto", RpcProto.getDescriptor()});
    files.add(new Object[] {"mvccpb/kv.proto", KvProto.getDescriptor()});
    files.add(new Object[] {"authpb/auth.proto", AuthProto.getDescriptor()});
    files.add(new Object[] {"v3lockpb/v3lock.proto", V3LockProto.getDescriptor()});
    files.add(new Object[] {"v3electionpb/v3election.proto", V3ElectionProto.getDescriptor()});
    return files;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void matchesEtcd3423(String etcdFile, FileDescriptor ours) {
    FileDescriptorProto etcd = ETCD.get(etcdFile);
    assertTrue(etcd != null, etcdFile + " not found in " + ETCD_BINARY + ": " + ETCD.keySet());
    FileDescriptorProto kvorum = ours.toProto();
    assertEquals(etcd.getPackage(), kvorum.getPackage());
    assertEquals(etcd.getSyntax(), kvorum.getSyntax());
    assertEquals(
        names(etcd.getServiceList()), names(kvorum.getServiceList()), "services of " + etcdFile);
    for (int i = 0; i < etcd.getServiceCount(); i++) {
      compareService(etcd.getService(i), kvorum.getService(i));
    }
    compareMessages(etcdFile, etcd.getMessageTypeList(), kvorum.getMessageTypeList());
    compareEnums(etcdFile, etcd.getEnumTypeList(), kvorum.getEnumTypeList());
  }

  private static void compareService(ServiceDescriptorProto etcd, ServiceDescriptorProto ours) {
    assertEquals(etcd.getMethodCount(), ours.getMethodCount(), etcd.getName());
    for (int i = 0; i < etcd.getMethodCount(); i++) {
      assertEquals(signature(etcd.getMethod(i)), signature(ours.getMethod(i)), etcd.getName());
    }
  }

  private static String signature(MethodDescriptorProto m) {
    return m.getName()
        + "("
        + (m.getClientStreaming() ? "stream " : "")
        + m.getInputType()
        + ") returns ("
        + (m.getServerStreaming() ? "stream " : "")
        + m.getOutputType()
        + ")";
  }

  private static void compareMessages(
      String scope, List<DescriptorProto> etcd, List<DescriptorProto> ours) {
    assertEquals(names(etcd), names(ours), "messages in " + scope);
    for (int i = 0; i < etcd.size(); i++) {
      DescriptorProto e = etcd.get(i);
      DescriptorProto o = ours.get(i);
      String where = scope + " " + e.getName();
      assertEquals(fields(e), fields(o), "fields of " + where);
      assertEquals(e.getOneofDeclCount(), o.getOneofDeclCount(), "oneofs of " + where);
      for (int j = 0; j < e.getOneofDeclCount(); j++) {
        assertEquals(e.getOneofDecl(j).getName(), o.getOneofDecl(j).getName(), where);
      }
      compareMessages(where, e.getNestedTypeList(), o.getNestedTypeList());
      compareEnums(where, e.getEnumTypeList(), o.getEnumTypeList());
    }
  }

  private static List<String> fields(DescriptorProto message) {
    List<String> fields = new ArrayList<>();
    for (FieldDescriptorProto f : message.getFieldList()) {
      fields.add(
          f.getNumber()
              + " "
              + f.getName()
              + " "
              + f.getLabel()
              + " "
              + f.getType()
              + " "
              + f.getTypeName()
              + (f.hasOneofIndex() ? " oneof " + f.getOneofIndex() : ""));
    }
    return fields;
  }

  private static void compareEnums(
      String scope, List<EnumDescriptorProto> etcd, List<EnumDescriptorProto> ours) {
    assertEquals(names(etcd), names(ours), "enums in " + scope);
    for (int i = 0; i < etcd.size(); i++) {
      List<String> e = new ArrayList<>();
      etcd.get(i).getValueList().forEach(v -> e.add(v.getName() + "=" + v.getNumber()));
      List<String> o = new ArrayList<>();
      ours.get(i).getValueList().forEach(v -> o.add(v.getName() + "=" + v.getNumber()));
      assertEquals(e, o, "values of " + scope + " " + etcd.get(i).getName());
    }
  }

  private static List<String> names(List<?> descriptors) {
    List<String> names = new ArrayList<>();
    for (Object d : descriptors) {
      if (d instanceof DescriptorProto m) {
        names.add(m.getName());
      } else if (d instanceof EnumDescriptorProto e) {
        names.add(e.getName());
      } else if (d instanceof ServiceDescriptorProto s) {
        names.add(s.getName());
      }
    }
    return names;
  }
}
