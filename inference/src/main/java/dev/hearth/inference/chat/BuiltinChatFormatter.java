package dev.hearth.inference.chat;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// A formatter built into the inference engine, used when a model's Jinja template cannot be rendered.
/// The engine plugs in llama.cpp's `llama_chat_apply_template`, which recognises well-known templates
/// (ChatML, Llama 2/3, Mistral, Gemma, Phi-3, …) by name or by their text and formats plain role/content pairs.
@FunctionalInterface
public interface BuiltinChatFormatter {
    /// No built-in formatter: always empty.
    BuiltinChatFormatter NONE = (_, _, _) -> Optional.empty();

    /// Formats `messages` (their [ChatMessage#text()]) for the template `template` (its source text or a
    /// llama.cpp template name such as `chatml`), opening the assistant's turn when `addAssistant`.
    ///
    /// @return the prompt, or empty when this formatter does not know the template
    Optional<String> format(@Nullable String template, List<ChatMessage> messages, boolean addAssistant);
}
