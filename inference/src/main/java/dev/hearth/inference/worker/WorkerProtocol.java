package dev.hearth.inference.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serial;

/// The engine worker protocol: JSON Lines over the worker's stdin (requests) and stdout (messages).
///
/// Every line is one JSON object with `"v"` (the protocol [#VERSION]) and `"type"`. The worker speaks first:
///
///     {"v":1,"type":"hello","protocol":1,"libraryBuild":"b4916","libraryPath":"…","pid":4242}
///
/// or, when the native library cannot be used, `{"v":1,"type":"fatal","failure":{"kind":…,"detail":…}}` and exits.
/// Requests carry an `id` the answers repeat and an `op`:
/// `capabilities`, `load` (`path`, `options`), `unload`, `isLoaded`, `generate` (`request`), `cancel`, `tokenize`
/// (`text`, `addSpecial`, `parseSpecial`), `detokenize` (`ids`, `removeSpecial`, `unparseSpecial`), `specialTokens`,
/// `generateTokens` (`tokens`, `sampling`, `tokenStats`), `evalCounters`, `shutdown`. The worker answers with `progress` (`fraction`) and `token` (`token`) events while it works, then
/// exactly one `done` (`result`) or `failed` (`failure`). A line it cannot accept gets `rejected` (`detail`,
/// and the `id` when one could be read). Every [#HEARTBEAT_MILLIS] it sends `alive`, so a stopped worker is noticed.
public final class WorkerProtocol {
    /// The protocol version both sides must speak; bumped on any incompatible change.
    public static final int VERSION = 1;
    /// How often the worker says it is alive.
    public static final long HEARTBEAT_MILLIS = 250;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WorkerProtocol() {}

    /// A line that is not a message of this protocol version.
    public static final class ProtocolException extends Exception {
        @Serial private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    static ObjectNode message(String type) {
        var node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("type", type);
        return node;
    }

    static ObjectNode request(long id, String op) {
        var node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("id", id);
        node.put("op", op);
        return node;
    }

    /// Parses one line and checks that it is a JSON object of this protocol version with a text field `kind`
    /// (`type` for worker messages, `op` for requests).
    static ObjectNode parse(String line, String kind) throws ProtocolException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not JSON: " + abbreviate(line));
        }
        if (!(node instanceof ObjectNode object)) throw new ProtocolException("not a JSON object: " + abbreviate(line));
        var v = object.get("v");
        if (v == null || !v.isInt())
            throw new ProtocolException("no protocol version (\"v\") in: " + abbreviate(line));
        if (v.intValue() != VERSION)
            throw new ProtocolException("protocol version " + v.intValue() + " is not supported (this side speaks "
                    + VERSION + ")");
        var k = object.get(kind);
        if (k == null || !k.isTextual()) throw new ProtocolException("no \"" + kind + "\" in: " + abbreviate(line));
        return object;
    }

    static <T> T field(ObjectNode node, String name, Class<T> type) throws ProtocolException {
        var value = node.get(name);
        if (value == null || value.isNull()) throw new ProtocolException("missing \"" + name + "\"");
        try {
            return JSON.treeToValue(value, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException("bad \"" + name + "\": " + firstLine(e.getMessage()));
        }
    }

    static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "…";
    }

    static String firstLine(@org.jspecify.annotations.Nullable String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
