package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/// Real chat templates of popular open model families (`templates/`, origins in `templates/README.md`) rendered
/// through the public API to the prompts `transformers` produces: documented outputs where published, otherwise
/// the output of Python Jinja2 configured as `transformers` does (`template-cases.json`).
class ChatTemplateFamiliesTest {

    static String resource(String name) {
        try (var in = ChatTemplateFamiliesTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String template(String name) {
        return resource("templates/" + name + ".jinja");
    }

    @TestFactory
    Stream<DynamicTest> publishedTemplatesRenderTheirTrainingFormat() {
        var cases = (List<?>) TemplateValues.parseJson(resource("template-cases.json"));
        return cases.stream().map(c -> {
            var m = (Map<?, ?>) c;
            var name = (String) m.get("name") + ((Boolean) m.get("documented") ? " (documented output)" : "");
            return DynamicTest.dynamicTest(name, () -> check(m));
        });
    }

    private static void check(Map<?, ?> c) {
        var source = template((String) c.get("template"));
        var messages = new ArrayList<ChatMessage>();
        for (var raw : (List<?>) c.get("messages")) {
            var msg = (Map<?, ?>) raw;
            var fields = new java.util.LinkedHashMap<String, Object>();
            for (var e : msg.entrySet()) {
                if (!e.getKey().equals("role") && !e.getKey().equals("content")) fields.put((String) e.getKey(), e.getValue());
            }
            messages.add(new ChatMessage((String) msg.get("role"), msg.get("content"), fields));
        }
        @SuppressWarnings("unchecked")
        var extra = (Map<String, Object>) c.get("extra");
        var request = new ChatRequest(messages, (List<?>) c.get("tools"), (Boolean) c.get("addGenerationPrompt"), extra);
        var tokens = SpecialTokens.of((String) c.get("bos"), (String) c.get("eos"));
        var options = RenderOptions.defaults().withClock(JinjaLanguageTest.CLOCK);
        var template = ChatTemplate.parse(source);
        if (c.get("error") instanceof String error) {
            var e = assertThrows(TemplateException.class, () -> template.render(request, tokens, options));
            assertEquals(TemplateException.Kind.RAISED, e.kind());
            assertEquals(error, e.reason());
            assertTrue(e.line() > 0, "the error names its line: " + e.getMessage());
        } else {
            assertEquals(c.get("expected"), template.render(request, tokens, options));
        }
    }
}
