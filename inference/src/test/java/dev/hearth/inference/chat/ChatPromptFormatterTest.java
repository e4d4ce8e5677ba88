package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.chat.FormattedPrompt.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatPromptFormatterTest {
    private static final List<ChatMessage> CONVERSATION =
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
    private static final RenderOptions OPTIONS = RenderOptions.defaults().withClock(JinjaLanguageTest.CLOCK);

    @Test
    void theModelsTemplateIsUsedWhenItRenders() {
        var formatter = new ChatPromptFormatter(ChatTemplateFamiliesTest.template("llama-3.1-instruct"),
                SpecialTokens.of("<|begin_of_text|>", "<|eot_id|>"), BuiltinChatFormatter.NONE, OPTIONS);
        var prompt = formatter.format(ChatRequest.of(CONVERSATION));
        assertEquals(Source.TEMPLATE, prompt.source());
        assertFalse(prompt.isFallback());
        assertNull(prompt.templateError());
        assertTrue(prompt.startsWithBos(), "Llama 3 templates print the BOS token themselves");
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", prompt.text());
    }

    @Test
    void aTemplateWithoutBosLeavesItToTheEngine() {
        var formatter = new ChatPromptFormatter(ChatTemplateFamiliesTest.template("chatml"),
                SpecialTokens.of("<s>", "</s>"), BuiltinChatFormatter.NONE, OPTIONS);
        var prompt = formatter.format(ChatRequest.of(CONVERSATION).withGenerationPrompt(false));
        assertFalse(prompt.startsWithBos());
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n", prompt.text());
    }

    @Test
    void aFailingTemplateFallsBackToTheBuiltinFormatter() {
        var seen = new ArrayList<String>();
        BuiltinChatFormatter builtin = (template, messages, addAssistant) -> {
            seen.add(template + "|" + messages.size() + "|" + addAssistant);
            return Optional.of("[builtin]");
        };
        var gemma = ChatTemplateFamiliesTest.template("gemma-7b-it");
        var formatter = new ChatPromptFormatter(gemma, SpecialTokens.of("<bos>", "<eos>"), builtin, OPTIONS);
        var prompt = formatter.format(ChatRequest.of(CONVERSATION));
        assertEquals(Source.BUILTIN, prompt.source());
        assertEquals("[builtin]", prompt.text());
        assertEquals("line 1, column 59: System role not supported", prompt.templateError());
        assertEquals(List.of(gemma + "|2|true"), seen);
    }

    @Test
    void aFailingTemplateWithoutBuiltinFallsBackToThePlainFormat() {
        var formatter = new ChatPromptFormatter("{% if %}", SpecialTokens.NONE, BuiltinChatFormatter.NONE, OPTIONS);
        var prompt = formatter.format(ChatRequest.of(CONVERSATION));
        assertEquals(Source.PLAIN, prompt.source());
        assertTrue(prompt.templateError().startsWith("line 1, column 7: "), prompt.templateError());
        assertEquals("### System:\nBe brief.\n\n### User:\nHi\n\n### Assistant:\n", prompt.text());
    }

    @Test
    void withoutATemplateThePlainFormatIsUsed() {
        var formatter = new ChatPromptFormatter(null, SpecialTokens.of("<s>", "</s>"), (_, _, _) -> Optional.of("x"),
                OPTIONS);
        var prompt = formatter.format(new ChatRequest(
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"),
                        new ChatMessage("user", List.of(Map.of("type", "image"), Map.of("type", "text", "text", "This?")),
                                Map.of())),
                null, false, Map.of()));
        assertEquals(Source.PLAIN, prompt.source());
        assertTrue(prompt.isFallback());
        assertNull(prompt.templateError());
        assertFalse(prompt.startsWithBos());
        assertEquals("### User:\nHi\n\n### Assistant:\nHello\n\n### User:\nThis?\n\n", prompt.text());
    }

    @Test
    void toolsAndExtraVariablesReachTheTemplate() {
        var formatter = new ChatPromptFormatter(
                "{{ tools | map(attribute='name') | join(',') }}|{{ enable_thinking }}|{{ add_generation_prompt }}",
                SpecialTokens.NONE, BuiltinChatFormatter.NONE, OPTIONS);
        var request = ChatRequest.of(CONVERSATION)
                .withTools(List.of(Map.of("name", "a"), Map.of("name", "b")))
                .withExtraVariables(Map.of("enable_thinking", false));
        assertEquals("a,b|False|True", formatter.format(request).text());
    }

    @Test
    void otherSpecialTokensAreTemplateVariables() {
        var tokens = new SpecialTokens("<s>", "</s>", Map.of("unk_token", "<unk>"));
        var text = ChatTemplate.parse("{{ bos_token }}{{ unk_token }}{{ eos_token }}")
                .render(ChatRequest.of(List.of()), tokens, OPTIONS);
        assertEquals("<s><unk></s>", text);
    }

    @Test
    void parsedTemplatesAreCached() {
        var source = "{{ 'cached' }}" + System.nanoTime();
        assertSame(ChatTemplate.parse(source), ChatTemplate.parse(source));
    }

    @Test
    void messagesParseFromJson() {
        var messages = TemplateValues.parseMessages("""
                [{"role": "user", "content": "Hi", "name": "ann"},
                 {"role": "assistant", "content": null, "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1}}}]}]
                """);
        assertEquals(2, messages.size());
        assertEquals("ann", messages.get(0).fields().get("name"));
        assertNull(messages.get(1).content());
        var out = ChatTemplate.parse("{{ messages[1].tool_calls[0].function.arguments | tojson }}")
                .render(ChatRequest.of(messages), SpecialTokens.NONE, OPTIONS);
        assertEquals("{\"x\": 1}", out);
    }
}
