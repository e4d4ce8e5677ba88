package dev.hearth.inference.chat;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// Turns a conversation into the prompt text a model expects, from its GGUF chat template and special tokens.
///
/// 1. With a template: render it ([ChatTemplate]); the result is [FormattedPrompt.Source#TEMPLATE].
/// 2. When the template fails (syntax, runtime error, `raise_exception`, limits): the
///    [BuiltinChatFormatter] (llama.cpp's built-in formats); [FormattedPrompt.Source#BUILTIN], with the error.
/// 3. With no template, or when the built-in formatter does not know it: the plain format
///    [#plain(List, boolean)]; [FormattedPrompt.Source#PLAIN].
///
/// Thread-safe; the parsed template is cached.
public final class ChatPromptFormatter {
    private final @Nullable String template;
    private final SpecialTokens tokens;
    private final BuiltinChatFormatter builtin;
    private final RenderOptions options;

    public ChatPromptFormatter(
            @Nullable String template, SpecialTokens tokens, BuiltinChatFormatter builtin, RenderOptions options) {
        this.template = template == null || template.isBlank() ? null : template;
        this.tokens = tokens;
        this.builtin = builtin;
        this.options = options;
    }

    public FormattedPrompt format(ChatRequest request) {
        String error = null;
        if (template != null) {
            try {
                var text = ChatTemplate.parse(template).render(request, tokens, options);
                return result(text, FormattedPrompt.Source.TEMPLATE, null);
            } catch (TemplateException e) {
                error = e.getMessage();
            }
            var fallback = builtin.format(template, request.messages(), request.addGenerationPrompt());
            if (fallback.isPresent()) return result(fallback.get(), FormattedPrompt.Source.BUILTIN, error);
        }
        return result(plain(request.messages(), request.addGenerationPrompt()), FormattedPrompt.Source.PLAIN, error);
    }

    private FormattedPrompt result(String text, FormattedPrompt.Source source, @Nullable String error) {
        var bos = tokens.bos();
        boolean startsWithBos = bos != null && !bos.isEmpty() && text.startsWith(bos);
        return new FormattedPrompt(text, source, startsWithBos, error);
    }

    /// Hearth's plain fallback format, used only when a model has no usable chat template:
    ///
    ///     ### System:
    ///     You are helpful.
    ///
    ///     ### User:
    ///     Hi
    ///
    ///     ### Assistant:
    ///
    /// Each message is `### Role:` (the role capitalised), a newline, the text and a blank line; with
    /// `addAssistant` the prompt ends with `### Assistant:` and a newline. No special tokens are added.
    public static String plain(List<ChatMessage> messages, boolean addAssistant) {
        var sb = new StringBuilder();
        for (var m : messages) {
            sb.append("### ").append(Builtins.capitalize(m.role())).append(":\n").append(m.text()).append("\n\n");
        }
        if (addAssistant) sb.append("### Assistant:\n");
        return sb.toString();
    }
}
