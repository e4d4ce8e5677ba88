package dev.hearth.inference.chat;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// What to render: the conversation, optional tool definitions (JSON-like values, passed to the template as
/// `tools`), whether to open the assistant's turn (`add_generation_prompt`), and extra template variables
/// (such as `enable_thinking` or `date_string`).
public record ChatRequest(
        List<ChatMessage> messages,
        @Nullable List<?> tools,
        boolean addGenerationPrompt,
        Map<String, ?> extraVariables) {
    public ChatRequest {
        messages = List.copyOf(messages);
        extraVariables = Map.copyOf(extraVariables);
    }

    public static ChatRequest of(List<ChatMessage> messages) {
        return new ChatRequest(messages, null, true, Map.of());
    }

    public ChatRequest withTools(@Nullable List<?> t) {
        return new ChatRequest(messages, t, addGenerationPrompt, extraVariables);
    }

    public ChatRequest withGenerationPrompt(boolean add) {
        return new ChatRequest(messages, tools, add, extraVariables);
    }

    public ChatRequest withExtraVariables(Map<String, ?> vars) {
        return new ChatRequest(messages, tools, addGenerationPrompt, vars);
    }
}
