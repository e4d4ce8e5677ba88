package dev.hearth.inference.chat;

import org.jspecify.annotations.Nullable;

/// A rendered prompt and how it was made.
///
/// @param text the prompt, to be tokenized with special-token parsing on
/// @param source which path produced it
/// @param startsWithBos whether `text` already starts with the BOS token (then the engine must not add one)
/// @param templateError why the model's template was not used (a failed rendering), or null
public record FormattedPrompt(String text, Source source, boolean startsWithBos, @Nullable String templateError) {
    /// The path a prompt took.
    public enum Source {
        /// The model's own Jinja template rendered it (the exact training format).
        TEMPLATE,
        /// The template failed; the engine's built-in formatter ([BuiltinChatFormatter]) made it.
        BUILTIN,
        /// No usable template and no built-in format: Hearth's plain fallback format
        /// ([ChatPromptFormatter#plain]). The model may answer worse.
        PLAIN
    }

    /// Whether a fallback was used instead of the model's template.
    public boolean isFallback() {
        return source != Source.TEMPLATE;
    }
}
