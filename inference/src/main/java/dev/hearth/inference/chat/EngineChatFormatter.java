package dev.hearth.inference.chat;

import dev.hearth.inference.Engine;
import dev.hearth.inference.ModelSummary;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Formats a conversation for a loaded engine the way every Hearth chat does (`hearth chat`, the Chat section):
/// the model's template through Hearth's interpreter, llama.cpp's built-in formats when it cannot be rendered,
/// the plain format without a template; and the BOS text taken off the front, because the engine adds BOS itself.
/// Thread-safe.
public final class EngineChatFormatter {
    private final ChatPromptFormatter formatter;
    private final @Nullable String bos;

    private EngineChatFormatter(ChatPromptFormatter formatter, @Nullable String bos) {
        this.formatter = formatter;
        this.bos = bos;
    }

    /// The formatter for the model loaded in `engine` (asks the engine for its BOS and EOS text).
    public static EngineChatFormatter of(Engine engine, ModelSummary model, BuiltinChatFormatter builtin) {
        var bos = tokenText(engine, engine.specialTokens().bos());
        var eos = tokenText(engine, engine.specialTokens().eos());
        return new EngineChatFormatter(
                new ChatPromptFormatter(model.chatTemplate(), new SpecialTokens(bos, eos, Map.of()), builtin,
                        RenderOptions.defaults()),
                bos);
    }

    /// The conversation rendered with its template; `generationPrompt` adds the assistant's opening.
    public FormattedPrompt format(List<ChatMessage> messages, boolean generationPrompt) {
        return formatter.format(ChatRequest.of(messages).withGenerationPrompt(generationPrompt));
    }

    /// The text to hand to [Engine#generate]: the rendered prompt without its leading BOS text (the engine adds BOS).
    public String engineText(FormattedPrompt prompt) {
        var text = prompt.text();
        if (prompt.startsWithBos() && bos != null) return text.substring(bos.length());
        return text;
    }

    /// [#format] with the generation prompt, then [#engineText].
    public String promptFor(List<ChatMessage> messages) {
        return engineText(format(messages, true));
    }

    /// A special token's text, or null when the model has none.
    public static @Nullable String tokenText(Engine engine, int id) {
        if (id < 0) return null;
        var text = engine.detokenize(List.of(id), false, true);
        return text.isEmpty() ? null : text;
    }
}
