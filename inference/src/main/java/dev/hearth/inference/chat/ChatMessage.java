package dev.hearth.inference.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// One message of a conversation as chat templates see it: `role`, `content` (a string, or a list of parts
/// such as `{"type": "text", "text": …}` for multimodal templates, or none), and any other fields the template
/// may read (`tool_calls`, `name`, `tool_call_id`, `reasoning_content`…), all JSON-like values.
public record ChatMessage(String role, @Nullable Object content, Map<String, @Nullable Object> fields) {
    public ChatMessage {
        if (role.isBlank()) throw new IllegalArgumentException("blank role");
        content = TemplateValues.of(content);
        var copy = new LinkedHashMap<String, @Nullable Object>();
        for (var e : fields.entrySet()) copy.put(e.getKey(), TemplateValues.of(e.getValue()));
        fields = java.util.Collections.unmodifiableMap(copy);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, Map.of());
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    /// The text of the content: the string itself, or the `text` of its text parts joined, or "".
    public String text() {
        return switch (content) {
            case String s -> s;
            case List<?> parts -> {
                var sb = new StringBuilder();
                for (var p : parts) {
                    if (p instanceof String s) sb.append(s);
                    else if (p instanceof Map<?, ?> m && m.get("text") instanceof String t) sb.append(t);
                }
                yield sb.toString();
            }
            case null, default -> "";
        };
    }

    /// The message as the template sees it: `{"role": …, "content": …, …fields}`.
    public Map<String, @Nullable Object> toMap() {
        var m = new LinkedHashMap<String, @Nullable Object>();
        m.put("role", role);
        m.put("content", content);
        m.putAll(fields);
        return m;
    }
}
