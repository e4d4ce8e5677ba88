package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.chat.ChatMessage;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// llama.cpp's built-in chat formats (`llama_chat_apply_template`): it recognises well-known templates (ChatML,
/// Llama 2/3, Mistral, Gemma, Phi-3, …) by name or by their text and formats plain role/content pairs. Used when
/// Hearth's own interpreter cannot render a model's template. The library is loaded on first use.
public final class LlamaChatFormatter implements BuiltinChatFormatter {
    /// `llama_chat_message`: two `char *` (role, content).
    private static final long MESSAGE_BYTES = 16;
    private final NativeLibrary choice;

    public LlamaChatFormatter(NativeLibrary choice) {
        this.choice = choice;
    }

    @Override
    public Optional<String> format(@Nullable String template, List<ChatMessage> messages, boolean addAssistant) {
        // Without a template text llama.cpp b4916 would guess one; Hearth's plain format is clearer then.
        if (template == null || template.isBlank()) return Optional.empty();
        var lib = LlamaLibrary.load(choice);
        try (var arena = Arena.ofConfined()) {
            var tmpl = arena.allocateFrom(template, StandardCharsets.UTF_8);
            var chat = arena.allocate(MESSAGE_BYTES * Math.max(1, messages.size()), 8);
            long textBytes = 0;
            for (int i = 0; i < messages.size(); i++) {
                var message = messages.get(i);
                var role = arena.allocateFrom(message.role(), StandardCharsets.UTF_8);
                var content = arena.allocateFrom(message.text(), StandardCharsets.UTF_8);
                chat.set(ADDRESS, i * MESSAGE_BYTES, role);
                chat.set(ADDRESS, i * MESSAGE_BYTES + 8, content);
                textBytes += role.byteSize() + content.byteSize();
            }
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, 2 * textBytes + 1024);
            for (int attempt = 0; attempt < 2; attempt++) {
                var buf = arena.allocate(capacity);
                int n = (int) lib.chatApplyTemplate.invokeExact(tmpl, chat, (long) messages.size(), addAssistant, buf, capacity);
                if (n < 0) return Optional.empty(); // a template llama.cpp does not know
                if (n <= capacity) return Optional.of(new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                capacity = n;
            }
            throw new EngineException(Failure.Kind.INVALID_REQUEST, "llama_chat_apply_template kept growing its output");
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

}
