package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.ChatPromptFormatter;
import dev.hearth.inference.chat.ChatRequest;
import dev.hearth.inference.chat.FormattedPrompt;
import dev.hearth.inference.chat.RenderOptions;
import dev.hearth.inference.chat.SpecialTokens;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/// llama.cpp's built-in chat formats through `llama_chat_apply_template`, the real library.
class LlamaChatFormatterTest {
    private final LlamaChatFormatter formatter = new LlamaChatFormatter(TestModels.library());
    private final List<ChatMessage> conversation = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));

    @Test
    void aChatMlNameFormatsLikeChatMl() {
        var text = formatter.format("chatml", conversation, true).orElseThrow();
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", text);
    }

    @Test
    void aTemplateLlamaCppDoesNotKnowGivesNothing() {
        assertEquals(Optional.empty(), formatter.format("{{ something nobody has seen }}", conversation, true));
        assertEquals(Optional.empty(), formatter.format(null, conversation, true));
    }

    @Test
    void aLongConversationIsFormattedWhole() {
        var many = new java.util.ArrayList<ChatMessage>();
        for (int i = 0; i < 200; i++) many.add(i % 2 == 0 ? ChatMessage.user("question " + i + " ".repeat(50)) : ChatMessage.assistant("answer " + i));
        var text = formatter.format("chatml", many, false).orElseThrow();
        assertTrue(text.endsWith("answer 199<|im_end|>\n"), text.substring(text.length() - 40));
    }

    @Test
    void aTemplateHearthCannotRenderFallsBackToLlamaCppsFormat() {
        // Recognisably ChatML to llama.cpp (it looks for "<|im_start|>"), but not valid Jinja.
        var broken = "{% for m in messages %}<|im_start|>{{ m.role }\n{% endfor %}";
        var prompt = new ChatPromptFormatter(broken, new SpecialTokens(null, null, Map.of()), formatter, RenderOptions.defaults())
                .format(new ChatRequest(conversation, null, true, Map.of()));
        assertEquals(FormattedPrompt.Source.BUILTIN, prompt.source());
        assertTrue(prompt.text().startsWith("<|im_start|>system\nBe brief.<|im_end|>"), prompt.text());
    }
}
