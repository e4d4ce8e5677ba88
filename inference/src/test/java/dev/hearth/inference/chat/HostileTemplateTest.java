package dev.hearth.inference.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.chat.TemplateException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// Templates come from downloaded files: attribute walks toward Python or Java internals render inert or fail
/// cleanly, file-reaching statements are refused, and unbounded work stops at a [RenderLimits] bound with a
/// [TemplateException], never a hang, a stack overflow or an out-of-memory error.
class HostileTemplateTest {
    private static final Map<String, Object> VARS = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")));
    /// A generous deadline, so that on a loaded machine each test meets the limit it is about, not the clock.
    private static final RenderOptions OPTIONS = RenderOptions.defaults().withLimits(RenderLimits.DEFAULT
            .withMaxLoopIterations(100_000)
            .withTimeout(Duration.ofSeconds(60)));

    private static String render(String template) {
        return render(template, OPTIONS);
    }

    private static String render(String template, RenderOptions options) {
        return ChatTemplate.parse(template).render(VARS, options);
    }

    private static TemplateException failure(String template) {
        return failure(template, OPTIONS);
    }

    private static TemplateException failure(String template, RenderOptions options) {
        return assertThrows(TemplateException.class, () -> render(template, options));
    }

    @Test
    void dunderAttributesAreUndefined() {
        assertEquals("[][][]", render("[{{ ''.__class__ }}][{{ messages.__class__ }}][{{ messages[0].__dict__ }}]"));
        assertEquals("False", render("{{ ''.__class__ is defined }}"));
    }

    @Test
    void walkingFromADunderAttributeFailsCleanly() {
        var e = failure("{{ ''.__class__.__mro__[1].__subclasses__() }}");
        assertEquals(Kind.RUNTIME, e.kind());
        assertEquals("'str object' has no attribute '__class__'", e.reason());
        assertEquals(1, e.line());
        failure("{{ messages.__init__.__globals__['os'].system('id') }}");
        failure("{{ cycler.__init__.__globals__.os.popen('id').read() }}");
        failure("{{ self._TemplateReference__context }}");
        failure("{{ lipsum.__globals__ }}");
    }

    @Test
    void javaMethodsAreNotReachable() {
        var e = failure("{{ 'x'.getClass().forName('java.lang.Runtime') }}");
        assertEquals("'str object' has no attribute 'getClass'", e.reason());
        failure("{{ messages.getClass() }}");
        failure("{{ messages[0].hashCode() }}");
        assertEquals("", render("{{ raise_exception.getClass }}"));
        assertEquals("", render("{{ namespace().getClass }}"));
    }

    @Test
    void templatesCannotChangeTheirInputs() {
        var e = failure("{{ messages.append({'role': 'x'}) }}");
        assertTrue(e.reason().contains("unsafe"), e.reason());
        failure("{{ messages[0].update({'role': 'x'}) }}");
        failure("{{ messages.pop() }}");
    }

    @Test
    void includeImportAndExtendsAreRefused() {
        for (var t : List.of("{% include 'secrets.txt' %}", "{% import 'macros.j2' as m %}",
                "{% from 'macros.j2' import m %}", "{% extends 'base.j2' %}", "{% block x %}{% endblock %}")) {
            var e = assertThrows(TemplateException.class, () -> ChatTemplate.parse(t), t);
            assertEquals(Kind.SYNTAX, e.kind());
            assertTrue(e.reason().endsWith("is not allowed in chat templates"), e.reason());
        }
    }

    @Test
    void foreignJavaObjectsNeverReachATemplate() {
        var template = ChatTemplate.parse("{{ x }}");
        assertThrows(IllegalArgumentException.class,
                () -> template.render(Map.of("x", new Object()), OPTIONS));
        assertThrows(IllegalArgumentException.class,
                () -> template.render(Map.of("x", List.of(Thread.currentThread())), OPTIONS));
    }

    @Test
    void hugeRangesAreRefused() {
        var e = failure("{% for i in range(10**9) %}x{% endfor %}");
        assertEquals(Kind.LIMIT, e.kind());
    }

    @Test
    void nestedLoopsStopAtTheIterationLimit() {
        var e = failure("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}");
        assertEquals(Kind.LIMIT, e.kind());
        assertTrue(e.reason().contains("loop iterations"), e.reason());
    }

    @Test
    void slowTemplatesStopAtTheDeadline() {
        var options = RenderOptions.defaults().withLimits(RenderLimits.DEFAULT
                .withMaxLoopIterations(Long.MAX_VALUE)
                .withTimeout(Duration.ofMillis(200)));
        var e = failure("{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}", options);
        assertEquals(Kind.LIMIT, e.kind());
        assertTrue(e.reason().contains("longer than"), e.reason());
    }

    @Test
    void hugeStringsAreRefusedBeforeTheyAreBuilt() {
        assertEquals(Kind.LIMIT, failure("{{ 'a' * 10**9 }}").kind());
        assertEquals(Kind.LIMIT, failure("{{ ['a'] * 10**9 }}").kind());
        assertEquals(Kind.LIMIT, failure("{{ 'ab' | center(10**9) }}").kind());
    }

    @Test
    void repeatedDoublingStopsAtTheSizeLimit() {
        var e = failure("{% set ns = namespace(s='a') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}");
        assertEquals(Kind.LIMIT, e.kind());
        failure("{% set ns = namespace(s='a') %}{% for i in range(100) %}{% set ns.s = ns.s + ns.s %}{% endfor %}");
        failure("{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = ns.l + ns.l %}{% endfor %}");
        failure("{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s.replace('a', ns.s) %}{% endfor %}");
    }

    @Test
    void outputStopsAtTheOutputLimit() {
        var options = OPTIONS.withLimits(OPTIONS.limits().withMaxOutputChars(1000));
        var e = failure("{% for i in range(10000) %}{{ i }}{% endfor %}", options);
        assertEquals(Kind.LIMIT, e.kind());
    }

    @Test
    void infiniteMacroRecursionStopsAtTheCallDepth() {
        var e = failure("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
        assertEquals(Kind.LIMIT, e.kind());
        assertTrue(e.reason().startsWith("calls nest deeper than"), e.reason());
    }

    @Test
    void recursiveLoopsStopAtTheCallDepth() {
        var template = ChatTemplate.parse("{% for m in messages recursive %}{{ loop(messages) }}{% endfor %}");
        var e = assertThrows(TemplateException.class, () -> template.render(VARS, OPTIONS));
        assertEquals(Kind.LIMIT, e.kind());
    }

    @Test
    void deeplyNestedDataFailsCleanly() {
        var build = "{% set ns = namespace(x=[]) %}{% for i in range(5000) %}{% set ns.x = [ns.x] %}{% endfor %}";
        assertEquals(Kind.RUNTIME, failure(build + "{{ ns.x | tojson }}").kind());
        assertEquals(Kind.RUNTIME, failure(build + "{{ ns.x }}").kind());
    }

    @Test
    void deeplyNestedTemplatesAreRefusedByTheParser() {
        var parens = "{{ " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " }}";
        assertEquals(Kind.SYNTAX, assertThrows(TemplateException.class, () -> ChatTemplate.parse(parens)).kind());
        var ifs = "{% if true %}".repeat(50_000) + "{% endif %}".repeat(50_000);
        assertEquals(Kind.SYNTAX, assertThrows(TemplateException.class, () -> ChatTemplate.parse(ifs)).kind());
        var lists = "{{ " + "[".repeat(100_000) + "]".repeat(100_000) + " }}";
        assertEquals(Kind.SYNTAX, assertThrows(TemplateException.class, () -> ChatTemplate.parse(lists)).kind());
        var nots = "{{ " + "not ".repeat(100_000) + "x }}";
        assertEquals(Kind.SYNTAX, assertThrows(TemplateException.class, () -> ChatTemplate.parse(nots)).kind());
        var minus = "{{ " + "-".repeat(100_000) + "1 }}";
        assertEquals(Kind.SYNTAX, assertThrows(TemplateException.class, () -> ChatTemplate.parse(minus)).kind());
    }

    @Test
    void hugeTemplatesAreRefused() {
        var e = assertThrows(TemplateException.class, () -> ChatTemplate.parse("x".repeat(ChatTemplate.MAX_SOURCE_CHARS + 1)));
        assertEquals(Kind.SYNTAX, e.kind());
    }
}
