package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// Random templates built from Jinja fragments: whatever they are, parsing and rendering end normally or with a
/// [TemplateException], never with another exception (a bug in the interpreter) or a hang.
class TemplateFuzzTest {
    private static final String[] FRAGMENTS = {
        "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", " ", "\n", "x", "messages", "m", "loop",
        "ns", "if", "elif", "else", "endif", "for", "in", "endfor", "set", "endset", "macro", "endmacro", "call",
        "endcall", "filter", "endfilter", "raw", "endraw", "break", "continue", "not", "and", "or", "is", "defined",
        "none", "string", "mapping", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "=", "==", "!=", "<", ">",
        "+", "-", "*", "/", "//", "%", "**", "~", "'a'", "\"b\"", "'\\u00e9'", "0", "1", "-1", "2.5", "True",
        "None", "range", "namespace", "raise_exception", "strftime_now", "length", "tojson", "join", "items",
        "upper", "trim", "default", "map", "select", "attribute", "content", "role", "split", "[::-1]", "[1:]",
        "loop.index", "loop.last", "caller", "varargs", "__class__", "getClass", "recursive", "with", "endwith"
    };

    @Test
    void randomTemplatesFailOnlyWithTemplateExceptions() {
        var random = new Random(20241124);
        var vars = Map.<String, Object>of(
                "messages", List.of(Map.of("role", "user", "content", "hi"), Map.of("role", "assistant", "content", "yo")),
                "x", List.of(1, 2, 3), "m", Map.of("role", "user", "content", List.of(Map.of("type", "text"))));
        var options = RenderOptions.defaults().withLimits(RenderLimits.DEFAULT
                .withTimeout(Duration.ofMillis(200)).withMaxOutputChars(100_000).withMaxLoopIterations(10_000));
        for (int i = 0; i < 2000; i++) {
            var sb = new StringBuilder();
            int n = 1 + random.nextInt(30);
            for (int k = 0; k < n; k++) sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]).append(random.nextInt(3) == 0 ? " " : "");
            var source = sb.toString();
            try {
                ChatTemplate.parse(source).render(vars, options);
            } catch (TemplateException expected) {
                // a clean failure
            } catch (RuntimeException | StackOverflowError e) {
                fail("template " + source + " failed with " + e, e);
            }
        }
    }

    @Test
    void wellFormedRandomExpressionsFailOnlyWithTemplateExceptions() {
        var random = new Random(7);
        String[] atoms = {"1", "0", "-3", "2.5", "'ab'", "''", "[1, 'a']", "[]", "{'k': 1}", "{}", "none", "true",
            "x", "messages", "messages[0]", "range(3)", "(1, 2)", "undefined_name", "'a\\nb'"};
        String[] binary = {"+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">=", "in", "not in", "and", "or"};
        String[] postfix = {"|length", "|first", "|last", "|join(',')", "|tojson", "|list", "|string", "|upper",
            "|trim", "|int", "|float", "|abs", "|reverse", "|sort", "|items", "|default('d')", "[0]", "[1:]", "[::-1]",
            "[-1]", ".upper()", ".split()", ".strip()", ".items()", ".get('k')", ".keys()", " is string",
            " is defined", " is odd", "|map('upper')|list", "|selectattr('role')|list", "|unique|list", "|sum"};
        var vars = Map.<String, Object>of("messages", List.of(Map.of("role", "user", "content", "hi")), "x", 5);
        for (int i = 0; i < 2000; i++) {
            var source = "{{ " + expr(random, atoms, binary, postfix, 3) + " }}";
            try {
                ChatTemplate.parse(source).render(vars, RenderOptions.defaults());
            } catch (TemplateException expected) {
                // a clean failure
            } catch (RuntimeException | StackOverflowError e) {
                fail("template " + source + " failed with " + e, e);
            }
        }
    }

    private static String expr(Random r, String[] atoms, String[] binary, String[] postfix, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            var a = atoms[r.nextInt(atoms.length)];
            return r.nextBoolean() ? a + postfix[r.nextInt(postfix.length)] : a;
        }
        var e = "(" + expr(r, atoms, binary, postfix, depth - 1) + " " + binary[r.nextInt(binary.length)] + " "
                + expr(r, atoms, binary, postfix, depth - 1) + ")";
        return r.nextInt(4) == 0 ? e + postfix[r.nextInt(postfix.length)] : e;
    }
}
