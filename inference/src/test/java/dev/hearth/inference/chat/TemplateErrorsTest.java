package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.inference.chat.TemplateException.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// Broken or unsupported templates fail with a [TemplateException] that names the line (and column).
class TemplateErrorsTest {

    private static TemplateException parseFailure(String template) {
        return assertThrows(TemplateException.class, () -> ChatTemplate.parse(template));
    }

    private static TemplateException renderFailure(String template) {
        return assertThrows(TemplateException.class,
                () -> ChatTemplate.parse(template).render(Map.of(), RenderOptions.defaults()));
    }

    @Test
    void anUnknownTagNamesItsLine() {
        var e = parseFailure("line one\n{% if true %}\n  {% frobnicate %}\n{% endif %}");
        assertEquals(Kind.SYNTAX, e.kind());
        assertEquals(3, e.line());
        assertEquals("line 3, column 6: unknown tag 'frobnicate'", e.getMessage());
    }

    @Test
    void anUnclosedBlockSaysWhatIsMissing() {
        var e = parseFailure("{% for x in y %}\n{{ x }}");
        assertEquals("unexpected end of template, expected 'else' or 'endfor'", e.reason());
    }

    @Test
    void aStrayEndTagIsReported() {
        assertEquals("unexpected 'endif' (no block is open)", parseFailure("a\n{% endif %}").reason());
        assertEquals(2, parseFailure("a\n{% endif %}").line());
    }

    @Test
    void unknownFiltersAndTestsAreReportedAtParseTime() {
        assertEquals("no filter named 'shout'", parseFailure("{{ x | shout }}").reason());
        assertEquals("no test named 'loud'", parseFailure("{{ x is loud }}").reason());
    }

    @Test
    void syntaxErrorsNameTheirPosition() {
        var e = parseFailure("{{ 1 + }}");
        assertEquals(1, e.line());
        assertEquals(8, e.column());
        assertEquals(2, parseFailure("ok\n{{ 'unterminated }}").line());
        parseFailure("{{ x }");
        parseFailure("{% set %}");
        parseFailure("{{ a b }}");
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessage() {
        var e = renderFailure("\n\n{{ raise_exception('Only user and assistant roles are supported!') }}");
        assertEquals(Kind.RAISED, e.kind());
        assertEquals("Only user and assistant roles are supported!", e.reason());
        assertEquals(3, e.line());
    }

    @Test
    void usingAnUndefinedValueNamesItAndItsPosition() {
        var e = renderFailure("ok\n  {{ message.content }}");
        assertEquals(Kind.RUNTIME, e.kind());
        assertEquals("'message' is undefined", e.reason());
        assertEquals(2, e.line());
    }

    @Test
    void typeErrorsAreReportedThePythonWay() {
        assertEquals("unsupported operand type(s) for +: 'str' and 'int'", renderFailure("{{ 'a' + 1 }}").reason());
        assertEquals("'<' not supported between instances of 'str' and 'int'", renderFailure("{{ 'a' < 1 }}").reason());
        assertEquals("division by zero", renderFailure("{{ 1 / 0 }}").reason());
        assertEquals("cannot assign attribute on non-namespace object",
                renderFailure("{% set d = {} %}{% set d.x = 1 %}").reason());
    }
}
