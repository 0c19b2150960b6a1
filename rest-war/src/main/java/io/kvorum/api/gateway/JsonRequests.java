package io.kvorum.api.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The request messages in a gateway body, read as etcd's gateway reads them with Go's {@code
 * json.Decoder}: one JSON value after another, each merged into a fresh request message. A unary
 * call takes the first value and ignores the rest; a stream takes them all until the body ends.
 *
 * <p>Not thread-safe: one reader per body.
 */
final class JsonRequests {
  private final JsonReader reader;
  private final Message prototype;

  /**
   * @param body the HTTP request body (UTF-8 JSON)
   * @param method the gRPC method whose request messages the body holds
   */
  JsonRequests(InputStream body, MethodDescriptor<?, ?> method) {
    this.reader = new JsonReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    reader.setLenient(true); // a sequence of top-level values, as json.Decoder reads them
    this.prototype = prototype(method);
  }

  /** The protobuf default instance of {@code method}'s request type. */
  static Message prototype(MethodDescriptor<?, ?> method) {
    if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
        && p.getMessagePrototype() instanceof Message m) {
      return m;
    }
    throw new IllegalArgumentException("not a protobuf method: " + method.getFullMethodName());
  }

  /**
   * The next request, or null at the end of the body.
   *
   * @throws GatewayException InvalidArgument with the decoder's message when the next value is not
   *     JSON or does not fit the request message
   * @throws IOException when reading the body fails (the client went away)
   */
  Message next() throws IOException {
    JsonElement value;
    try {
      if (reader.peek() == JsonToken.END_DOCUMENT) {
        return null;
      }
    } catch (java.io.EOFException e) {
      return null; // nothing but white space left
    }
    try {
      value = JsonParser.parseReader(reader);
    } catch (JsonParseException | IllegalStateException e) {
      throw new GatewayException(Status.INVALID_ARGUMENT.withDescription(message(e)));
    }
    if (value.isJsonNull()) {
      return prototype; // Go decodes null into a message as "nothing set"
    }
    if (!value.isJsonObject()) {
      throw new GatewayException(
          Status.INVALID_ARGUMENT.withDescription(
              "json: cannot unmarshal "
                  + kind(value)
                  + " into Go value of type map[string]json.RawMessage"));
    }
    return GatewayJson.parse(value.toString(), prototype.newBuilderForType()).build();
  }

  private static String message(Exception e) {
    Throwable t = e.getCause() != null && e instanceof JsonParseException ? e.getCause() : e;
    if (t instanceof java.io.EOFException) {
      return "unexpected EOF";
    }
    return String.valueOf(t.getMessage());
  }

  private static String kind(JsonElement v) {
    if (v.isJsonArray()) {
      return "array";
    }
    var p = v.getAsJsonPrimitive();
    return p.isNumber() ? "number" : p.isBoolean() ? "bool" : "string";
  }
}
