package dev.hearth.inference.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Turns Java and JSON data into the template's own value types (`null`, [Boolean], [Long], [Double],
/// [String], [List], insertion-ordered [Map]); anything else is refused, so no foreign object ever reaches a
/// template.
public final class TemplateValues {
    private static final int MAX_DEPTH = PythonValues.MAX_DATA_DEPTH;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    }

    private TemplateValues() {}

    /// A copy of `value` in the template's value types.
    ///
    /// @throws IllegalArgumentException for a type a template cannot hold, or data nested too deeply
    public static @Nullable Object of(@Nullable Object value) {
        return of(value, 0);
    }

    private static @Nullable Object of(@Nullable Object value, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("data nested deeper than " + MAX_DEPTH);
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> d;
            case Float f -> (double) f;
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Character c -> c.toString();
            case List<?> l -> {
                var out = new ArrayList<@Nullable Object>(l.size());
                for (var x : l) out.add(of(x, depth + 1));
                yield out;
            }
            case Object[] a -> of(List.of(a), depth);
            case Map<?, ?> m -> {
                var out = new LinkedHashMap<@Nullable Object, @Nullable Object>();
                for (var e : m.entrySet()) out.put(of(e.getKey(), depth + 1), of(e.getValue(), depth + 1));
                yield out;
            }
            case ChatMessage msg -> of(msg.toMap(), depth);
            default -> throw new IllegalArgumentException(
                    "a template cannot hold a value of type " + value.getClass().getSimpleName());
        };
    }

    /// Parses JSON text into template values, keeping the order of object keys.
    ///
    /// @throws IllegalArgumentException when the text is not valid JSON
    public static @Nullable Object parseJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new IllegalArgumentException("invalid JSON" + (loc != null ? " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr() : "") + ": " + e.getOriginalMessage());
        }
    }

    private static @Nullable Object fromJson(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) return node.longValue();
            return node.doubleValue();
        }
        if (node.isNumber()) return node.doubleValue();
        if (node.isArray()) {
            var out = new ArrayList<@Nullable Object>(node.size());
            for (var x : node) out.add(fromJson(x));
            return out;
        }
        var out = new LinkedHashMap<@Nullable Object, @Nullable Object>();
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), fromJson(e.getValue()));
        }
        return out;
    }

    /// Parses a JSON array of messages (`[{"role": "user", "content": "Hi"}, …]`).
    ///
    /// @throws IllegalArgumentException when the text is not such an array
    public static List<ChatMessage> parseMessages(String json) {
        if (!(parseJson(json) instanceof List<?> list)) {
            throw new IllegalArgumentException("messages must be a JSON array of {\"role\": …, \"content\": …}");
        }
        var out = new ArrayList<ChatMessage>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("role") instanceof String role)) {
                throw new IllegalArgumentException("message " + (i + 1) + " is not an object with a string \"role\"");
            }
            var extra = new LinkedHashMap<String, @Nullable Object>();
            for (var e : m.entrySet()) {
                var key = String.valueOf(e.getKey());
                if (!key.equals("role") && !key.equals("content")) extra.put(key, e.getValue());
            }
            out.add(new ChatMessage(role, m.get("content"), extra));
        }
        return out;
    }
}
