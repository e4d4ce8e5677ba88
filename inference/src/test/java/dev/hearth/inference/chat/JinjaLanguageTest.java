package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/// One test per language construct (`language-cases.json`): each case is a small template, its variables, and
/// the output of Python Jinja2 3.1.6 configured exactly as `transformers` configures it (trim_blocks,
/// lstrip_blocks, loop controls, its `tojson`, `strftime_now` at 2024-09-05 14:30:00). The expected strings were
/// produced by `src/test/python/language_cases.py`; the test itself runs no Python.
class JinjaLanguageTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-09-05T14:30:00Z"), ZoneOffset.UTC);

    @TestFactory
    Stream<DynamicTest> everyConstructRendersAsJinja2Does() throws IOException {
        String json;
        try (var in = JinjaLanguageTest.class.getResourceAsStream("language-cases.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var cases = (List<?>) TemplateValues.parseJson(json);
        return cases.stream().map(c -> {
            var m = (Map<?, ?>) c;
            var name = (String) m.get("name");
            var template = (String) m.get("template");
            @SuppressWarnings("unchecked")
            var vars = (Map<String, Object>) m.get("vars");
            var expected = (String) m.get("expected");
            return DynamicTest.dynamicTest(name, () -> assertEquals(
                    expected,
                    ChatTemplate.parse(template).render(vars, RenderOptions.defaults().withClock(CLOCK)),
                    template));
        });
    }
}
