package io.kvorum.api.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import java.util.Base64;
import java.util.List;

/**
 * etcd 3.4's JSON gateway encoding of its protobuf messages (grpc-gateway v1 with gogo's jsonpb,
 * {@code OrigName: true}), byte for byte.
 *
 * <p>Output, as real etcd 3.4.23 prints it (GatewayJsonTest pins each rule):
 *
 * <ul>
 *   <li>field names are the .proto names ({@code create_revision}, {@code dbSize}, {@code ID}), in
 *       declaration order, without whitespace;
 *   <li>64-bit integers are quoted decimal strings, unsigned ones unsigned ({@code "member_id":
 *       "15985099378392235387"}); 32-bit integers are numbers ({@code "hash":668635262});
 *   <li>bytes are standard padded base64; enums are value names ({@code "DELETE"});
 *   <li>fields holding their default (0, false, "", empty list, unset message) are left out, but a
 *       oneof member that is set is printed even when zero;
 *   <li>strings are escaped like Go's encoding/json: {@code <}, {@code >}, {@code &}, U+2028,
 *       U+2029 and control characters (other than newline, return and tab) as six-character
 *       backslash-u escapes in lower-case hex.
 * </ul>
 *
 * <p>Input ({@link #parse}) uses protobuf's JsonFormat, which accepts everything etcd's gateway
 * accepts: int64 as a string or a number, enums as a name or a number, proto or JSON field names,
 * unknown fields ignored. It is more lenient than etcd in one place: unpadded and URL-safe base64
 * are accepted where etcd answers "illegal base64 data".
 *
 * <p>Stateless and thread-safe.
 */
public final class GatewayJson {

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private GatewayJson() {}

  /** The message as etcd's gateway prints a unary response body. */
  public static String print(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(128);
    writeMessage(out, message);
    return out.toString();
  }

  /**
   * One message of a server stream (Watch, LeaseKeepAlive, Snapshot, Observe) as etcd's gateway
   * writes it: {@code {"result":{...}}} and a newline.
   */
  public static String printStreamResult(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(160).append("{\"result\":");
    writeMessage(out, message);
    return out.append("}\n").toString();
  }

  /**
   * Merges a request body into {@code builder}.
   *
   * @throws GatewayException with InvalidArgument (HTTP 400) if the body is not valid JSON for the
   *     message, as etcd answers a body its decoder rejects
   */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    try {
      PARSER.merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new GatewayException(
          Status.INVALID_ARGUMENT.withDescription(String.valueOf(e.getMessage())));
    }
  }

  private static void writeMessage(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (!isPresent(message, field)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, field.getName());
      out.append(':');
      if (field.isRepeated()) {
        out.append('[');
        List<?> values = (List<?>) message.getField(field);
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeValue(out, field, values.get(i));
        }
        out.append(']');
      } else {
        writeValue(out, field, message.getField(field));
      }
    }
    out.append('}');
  }

  /** jsonpb with EmitDefaults=false: what Go would leave at its zero value is not printed. */
  private static boolean isPresent(MessageOrBuilder message, FieldDescriptor field) {
    if (field.isMapField()) {
      throw new IllegalArgumentException("map fields are not part of etcd's API: " + field);
    }
    if (field.isRepeated()) {
      return message.getRepeatedFieldCount(field) > 0;
    }
    if (field.getContainingOneof() != null
        || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return message.hasField(field);
    }
    Object value = message.getField(field);
    return switch (field.getJavaType()) {
      case INT, LONG, FLOAT, DOUBLE -> ((Number) value).doubleValue() != 0;
      case BOOLEAN -> (Boolean) value;
      case STRING -> !((String) value).isEmpty();
      case BYTE_STRING -> !((ByteString) value).isEmpty();
      case ENUM -> ((EnumValueDescriptor) value).getNumber() != 0;
      case MESSAGE -> true;
    };
  }

  private static void writeValue(StringBuilder out, FieldDescriptor field, Object value) {
    switch (field.getType()) {
      case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) value).append('"');
      case UINT64, FIXED64 ->
          out.append('"').append(Long.toUnsignedString((Long) value)).append('"');
      case INT32, SINT32, SFIXED32 -> out.append((int) (Integer) value);
      case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) value));
      case FLOAT, DOUBLE -> out.append(value); // not used by etcd's messages
      case BOOL -> out.append((boolean) (Boolean) value);
      case STRING -> writeString(out, (String) value);
      case BYTES ->
          out.append('"')
              .append(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()))
              .append('"');
      case ENUM -> {
        EnumValueDescriptor e = (EnumValueDescriptor) value;
        if (e.getIndex() < 0) {
          out.append(e.getNumber()); // a number this build does not know: jsonpb prints it bare
        } else {
          writeString(out, e.getName());
        }
      }
      case MESSAGE, GROUP -> writeMessage(out, (MessageOrBuilder) value);
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A JSON string escaped as Go's encoding/json does with HTML escaping on (its default). */
  static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append("\\u00".substring(0, c > 0xff ? 2 : 4));
            if (c > 0xff) {
              out.append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]);
            }
            out.append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
          } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              out.append('\ufffd'); // Go replaces invalid UTF-8 the same way
            }
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
