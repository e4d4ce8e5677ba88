package dev.hearth.inference.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.TopToken;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/// The engine worker protocol: JSON Lines over the worker's stdin (requests) and stdout (messages).
///
/// Every line is one JSON object with `"v"` (the protocol [#VERSION]) and `"type"`. The worker speaks first:
///
///     {"v":3,"type":"hello","protocol":3,"libraryBuild":"b4916","libraryPath":"…","pid":4242}
///
/// or, when the native library cannot be used, `{"v":3,"type":"fatal","failure":{"kind":…,"detail":…}}` and exits.
/// Requests carry an `id` the answers repeat and an `op`:
/// `capabilities`, `load` (`path`, `options`), `unload`, `isLoaded`, `generate` (`request`), `cancel`, `tokenize`
/// (`text`, `addSpecial`, `parseSpecial`), `detokenize` (`ids`, `removeSpecial`, `unparseSpecial`), `specialTokens`,
/// `generateTokens` (`conversation`, `tokens`, `sampling`, `tokenStats`), `evalCounters`, `shutdown`.
/// **Version 3** added the conversation key: `generate`'s `request` has `conversation` ("" when absent) and
/// `generateTokens` requires it; each conversation keeps its own KV cache prefix in the worker (ADR 0011). The worker answers with `progress` (`fraction`) and `token` (`token`) events while it works, then
/// exactly one `done` (`result`) or `failed` (`failure`). A line it cannot accept gets `rejected` (`detail`,
/// and the `id` when one could be read). Every [#HEARTBEAT_MILLIS] it sends `alive`, so a stopped worker is noticed.
///
/// **Token frames (version 2).** The one message sent per generated token is binary, not JSON, so that neither side
/// spends CPU on text encoding while llama.cpp's threads need the cores (ADR 0011). A token frame starts with the byte
/// [#TOKEN_FRAME] (0x01, which never starts a JSON line), then a big-endian `int` payload length, then the payload
/// (big-endian, strings as an `int` byte count and UTF-8 bytes):
///
///     long id, int index, int token, string text, double logprob, int rank, double entropy,
///     double postSamplerProbability, double elapsedMs, int topCount, topCount × (int id, string text, double logprob)
///
/// Everything else the worker sends, and everything the app sends, stays one JSON line.
public final class WorkerProtocol {
    /// The protocol version both sides must speak; bumped on any incompatible change.
    public static final int VERSION = 3;
    /// The first byte of a binary token frame.
    static final int TOKEN_FRAME = 0x01;
    /// The largest token frame a reader accepts (a token's text and 20 alternatives fit many times over).
    static final int MAX_FRAME_BYTES = 1 << 20;
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

    /// Writes `token` of request `id` as one token frame into `buffer` (reset first) and returns the frame's size.
    static int encodeToken(long id, GenerationEvent.Token token, FrameBuffer buffer) {
        buffer.reset();
        var out = buffer.data;
        try {
            out.writeByte(TOKEN_FRAME);
            out.writeInt(0); // payload length, patched below
            out.writeLong(id);
            out.writeInt(token.index());
            out.writeInt(token.id());
            writeString(out, token.text());
            out.writeDouble(token.logprob());
            out.writeInt(token.rank());
            out.writeDouble(token.entropy());
            out.writeDouble(token.postSamplerProbability());
            out.writeDouble(token.elapsedMs());
            out.writeInt(token.top().size());
            for (var t : token.top()) {
                out.writeInt(t.id());
                writeString(out, t.text());
                out.writeDouble(t.logprob());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return buffer.patchLength();
    }

    /// Reads a token frame's payload (after the marker byte) from `in`; returns the request id through `idOut[0]`.
    static GenerationEvent.Token decodeToken(DataInputStream in, long[] idOut) throws IOException, ProtocolException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) throw new ProtocolException("a token frame of " + length + " bytes");
        idOut[0] = in.readLong();
        int index = in.readInt();
        int id = in.readInt();
        String text = readString(in, length);
        double logprob = in.readDouble();
        int rank = in.readInt();
        double entropy = in.readDouble();
        double post = in.readDouble();
        double elapsed = in.readDouble();
        int topCount = in.readInt();
        if (topCount < 0 || topCount > length / 16) throw new ProtocolException("a token frame with " + topCount + " alternatives");
        var top = new TopToken[topCount];
        for (int i = 0; i < topCount; i++) top[i] = new TopToken(in.readInt(), readString(in, length), in.readDouble());
        try {
            return new GenerationEvent.Token(index, id, text, logprob, rank, entropy, List.of(top), post, elapsed);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("a bad token frame: " + e.getMessage());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in, int frameLength) throws IOException, ProtocolException {
        int n = in.readInt();
        if (n < 0 || n > frameLength) throw new ProtocolException("a string of " + n + " bytes in a token frame");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /// A reusable byte buffer for encoding frames on one thread.
    static final class FrameBuffer extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        FrameBuffer() {
            super(512);
        }

        int patchLength() {
            int payload = count - 5;
            buf[1] = (byte) (payload >>> 24);
            buf[2] = (byte) (payload >>> 16);
            buf[3] = (byte) (payload >>> 8);
            buf[4] = (byte) payload;
            return count;
        }

        byte[] bytes() {
            return buf;
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
