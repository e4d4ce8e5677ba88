package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgufValue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptCommandTest {
    private static final String MISTRAL = "{{ bos_token }}{% for message in messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path conversation() throws Exception {
        return file("messages.json", """
                [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi there"},
                 {"role": "user", "content": "Wie geht's? 😀"}]""");
    }

    @Test
    void aTemplateFileRendersThePromptExactlyWithoutAddingANewline() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(),
                "--bos-token", "<s>", "--eos-token", "</s>", "--messages", conversation().toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("<s>[INST] Hello [/INST]Hi there</s>[INST] Wie geht's? 😀 [/INST]", run.out());
        assertEquals("", run.err());
    }

    @Test
    void theGenerationPromptCanBeLeftOut() throws Exception {
        var template = file("t.jinja", "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
                + "{% if add_generation_prompt %}assistant:{% endif %}");
        var messages = file("m.json", "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        assertEquals("user: Hi\nassistant:",
                CliRun.of("prompt", "--template", template.toString(), "--messages", messages.toString()).out());
        assertEquals("user: Hi\n", CliRun.of("prompt", "--template", template.toString(), "--messages",
                messages.toString(), "--no-generation-prompt").out());
    }

    @Test
    void dateFixesStrftimeNow() throws Exception {
        var template = file("t.jinja", "Today Date: {{ strftime_now('%d %b %Y') }}");
        var run = CliRun.of("prompt", "--template", template.toString(), "--messages",
                file("m.json", "[]").toString(), "--date", "2024-09-05");
        assertEquals("Today Date: 05 Sep 2024", run.out());
    }

    @Test
    void toolsReachTheTemplate() throws Exception {
        var template = file("t.jinja", "{% for t in tools %}{{ t | tojson }}{% endfor %}");
        var tools = file("tools.json", "[{\"name\": \"get_weather\", \"parameters\": {\"city\": \"string\"}}]");
        var run = CliRun.of("prompt", "--template", template.toString(), "--messages", file("m.json", "[]").toString(),
                "--tools", tools.toString());
        assertEquals("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"string\"}}", run.out());
    }

    @Test
    void aModelsTemplateAndSpecialTokensAreRead() throws Exception {
        var model = FixtureModel.builder().write(dir.resolve("m.gguf"));
        var messages = file("m.json", "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]");
        var run = CliRun.of("prompt", "--model", model.toString(), "--messages", messages.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                run.out());
    }

    @Test
    void aModelTemplateHearthCannotRenderFallsBackToLlamaCppsFormatWithANote() throws Exception {
        var broken = "{% for m in messages %}<|im_start|>{{ m.role }\n{% endfor %}"; // ChatML to llama.cpp, bad Jinja
        var model = FixtureModel.builder().extraMetadata("tokenizer.chat_template", new GgufValue.Text(broken))
                .write(dir.resolve("m.gguf"));
        var run = CliRun.of("prompt", "--model", model.toString(), "--messages",
                file("m.json", "[{\"role\": \"user\", \"content\": \"Hi\"}]").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", run.out());
        assertTrue(run.err().contains("llama.cpp's built-in format"), run.err());
    }

    @Test
    void aModelWithoutTemplateGetsThePlainFallbackAndANote() throws Exception {
        var model = FixtureModel.builder().withoutChatTemplate().write(dir.resolve("m.gguf"));
        var run = CliRun.of("prompt", "--model", model.toString(), "--messages",
                file("m.json", "[{\"role\": \"user\", \"content\": \"Hi\"}]").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("### User:\nHi\n\n### Assistant:\n", run.out());
        assertTrue(run.err().contains("plain fallback format"), run.err());
    }

    @Test
    void aMissingMessagesFileIsOneLine() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(), "--messages",
                dir.resolve("nope.json").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("no such messages file"), run.err());
    }

    @Test
    void badJsonIsOneLineWithItsPosition() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(), "--messages",
                file("m.json", "[{\"role\": \"user\",\n \"content\": }]").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("invalid JSON at line 2"), run.err());
    }

    @Test
    void messagesThatAreNotAnArrayAreRefused() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(), "--messages",
                file("m.json", "{\"role\": \"user\"}").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
    }

    @Test
    void aTemplateSyntaxErrorNamesItsLine() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", "ok\n{% for x in %}").toString(), "--messages",
                conversation().toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("template error: line 2"), run.err());
    }

    @Test
    void aTemplateThatRaisesReportsItsMessage() throws Exception {
        var messages = file("m.json", "[{\"role\": \"assistant\", \"content\": \"Hi\"}]");
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(), "--messages",
                messages.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("Conversation roles must alternate"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aBrokenModelFileIsOneLine() throws Exception {
        var run = CliRun.of("prompt", "--model", file("junk.gguf", "not a model").toString(), "--messages",
                conversation().toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
    }

    @Test
    void modelAndTemplateAreExclusiveAndOneIsRequired() throws Exception {
        var t = file("t.jinja", MISTRAL).toString();
        var m = conversation().toString();
        assertEquals(2, CliRun.of("prompt", "--messages", m).exitCode());
        assertEquals(2, CliRun.of("prompt", "--template", t, "--model", t, "--messages", m).exitCode());
        assertEquals(2, CliRun.of("prompt", "--template", t, "--messages", m, "--date", "5 Sep").exitCode());
    }

    @Test
    void tokensArePrintedWithIdsAndPiecesAndSpecialTokensParsed() throws Exception {
        var model = FixtureModel.builder().write(dir.resolve("m.gguf"));
        var messages = file("m.json", "[{\"role\": \"user\", \"content\": \"Hello\"}]");
        var run = CliRun.of("prompt", "--model", model.toString(), "--messages", messages.toString(), "--tokens");
        assertEquals(0, run.exitCode(), run.err());
        var lines = run.out().lines().toList();
        assertEquals(FixtureModel.BOS_ID + "\t\"<s>\"", lines.getFirst(), "the template has no BOS: the engine adds one");
        assertEquals(FixtureModel.IM_START_ID + "\t\"<|im_start|>\"", lines.get(1), "special tokens are parsed");
        assertTrue(lines.contains(FixtureModel.IM_END_ID + "\t\"<|im_end|>\""), run.out());
        assertEquals(1, lines.stream().filter(l -> l.startsWith(FixtureModel.BOS_ID + "\t")).count());
    }

    @Test
    void aTemplateThatPrintsBosGetsNoSecondOne() throws Exception {
        var model = FixtureModel.builder()
                .extraMetadata("tokenizer.chat_template", new GgufValue.Text("{{ bos_token }}" + FixtureModel.CHATML_TEMPLATE))
                .write(dir.resolve("m.gguf"));
        var prompt = CliRun.of("prompt", "--model", model.toString(), "--messages", conversation().toString());
        assertTrue(prompt.out().startsWith("<s><|im_start|>user\n"), prompt.out());
        var run = CliRun.of("prompt", "--model", model.toString(), "--messages", conversation().toString(), "--tokens");
        assertEquals(0, run.exitCode(), run.err());
        var lines = run.out().lines().toList();
        assertEquals(FixtureModel.BOS_ID + "\t\"<s>\"", lines.getFirst());
        assertEquals(FixtureModel.IM_START_ID + "\t\"<|im_start|>\"", lines.get(1));
        assertEquals(1, lines.stream().filter(l -> l.startsWith(FixtureModel.BOS_ID + "\t")).count());
    }

    @Test
    void tokensNeedAModel() throws Exception {
        var run = CliRun.of("prompt", "--template", file("t.jinja", MISTRAL).toString(), "--messages",
                conversation().toString(), "--tokens");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
    }
}
