package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Engine;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.TestEngine;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.inference.chat.FormattedPrompt;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgufValue;
import dev.hearth.inference.project.ContextBudget.Part.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The project budget's chat-template part on the real llama.cpp with fixture models: the fixture's ChatML template
/// (special tokens `<|im_start|>`/`<|im_end|>` in its vocabulary) and Meta's Llama 3.2 template (whose header tokens
/// this vocabulary lacks, so they are plain text there). The budget is checked against the prompt as the chat sends
/// it: [EngineChatFormatter#promptFor], tokenized with BOS and special tokens as [Engine#generate] does.
class TemplateBudgetTest {
    static final int ANSWER_ROOM = 16;
    @TempDir static Path dir;
    static NativeLibrary library;
    static Model chatMl;
    static Model llama3;

    record Model(Engine engine, ModelSummary summary, EngineChatFormatter formatter) {
        int sentTokens(List<ChatMessage> messages) {
            return engine.tokenize(formatter.promptFor(messages), true, true).size();
        }
    }

    @BeforeAll
    static void load() throws IOException {
        var home = System.getenv("HEARTH_HOME");
        library = TestEngine.library(Path.of(home != null ? home : "target/test-hearth-home").toAbsolutePath().resolve("cache"));
        chatMl = open(FixtureModel.builder().contextLength(512).write(dir.resolve("chatml.gguf")));
        String llama3Template;
        try (var in = TemplateBudgetTest.class.getResourceAsStream("/dev/hearth/inference/chat/templates/llama-3.2-instruct.jinja")) {
            llama3Template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        llama3 = open(FixtureModel.builder().contextLength(512)
                .extraMetadata("tokenizer.chat_template", new GgufValue.Text(llama3Template)).write(dir.resolve("llama3.gguf")));
    }

    static Model open(Path path) {
        var engine = Engines.inProcess(library);
        var summary = engine.load(path, LoadOptions.DEFAULT.withThreads(2).withContextSize(512), LoadProgress.NONE);
        return new Model(engine, summary, EngineChatFormatter.of(engine, summary, Engines.builtinChatFormatter(library)));
    }

    @AfterAll
    static void close() {
        if (chatMl != null) chatMl.engine().close();
        if (llama3 != null) llama3.engine().close();
    }

    static ContextFile file(String path, String text, TokenCount count) {
        return new ContextFile(path, "0".repeat(64), text.length(), 0, text, count.count(text));
    }

    static final List<ChatMessage> HISTORY = List.of(ChatMessage.user("What does the model do?"),
            ChatMessage.assistant("It writes the next token of the code."));

    static ProjectPrompt.Built build(Model m, int contextSize, PromptTokens rendered) {
        var count = TokenCount.of(m.engine());
        var files = List.of(file("src/Main.java", "public class Main {\n    void print() {}\n}\n", count));
        return ProjectPrompt.build(ProjectPrompt.DEFAULT_SYSTEM, files, null, HISTORY, "How is the file made?", contextSize,
                ANSWER_ROOM, count, rendered);
    }

    @Test
    void theFixtureRendersWithItsOwnTemplates() {
        for (var m : List.of(chatMl, llama3)) {
            var prompt = m.formatter().format(List.of(ChatMessage.user("Hi")), true);
            assertEquals(FormattedPrompt.Source.TEMPLATE, prompt.source(), prompt.templateError());
        }
        assertTrue(chatMl.formatter().promptFor(List.of(ChatMessage.user("Hi"))).contains("<|im_start|>user\nHi<|im_end|>"));
        assertTrue(llama3.formatter().promptFor(List.of(ChatMessage.user("Hi"))).contains("<|start_header_id|>user<|end_header_id|>"));
    }

    @Test
    void theBudgetsTotalIsTheTokenCountOfThePromptAsSent() {
        for (var m : List.of(chatMl, llama3)) {
            var built = build(m, 4096, PromptTokens.of(m.engine(), m.formatter()));
            var plan = built.plan();
            assertEquals(List.of(), plan.cut());
            assertEquals(m.sentTokens(built.messages()), plan.used() - ANSWER_ROOM, "the model: " + m.summary().path().getFileName());
            int template = plan.used(Kind.TEMPLATE);
            assertTrue(template >= 8, "role headers, special tokens and BOS of 4 messages: " + template);
            assertTrue(plan.kept().stream().anyMatch(p -> p.kind() == Kind.TEMPLATE && p.label().equals("chat template")));
            System.out.printf("%s: %d tokens sent, %d of them the chat template's%n", m.summary().path().getFileName(),
                    plan.used() - ANSWER_ROOM, template);
        }
    }

    @Test
    void withoutTheTemplateTheOldBudgetFellShortOfThePromptAsSent() {
        var count = TokenCount.of(chatMl.engine());
        var files = List.of(file("src/Main.java", "public class Main {}\n", count));
        var built = ProjectPrompt.build(ProjectPrompt.DEFAULT_SYSTEM, files, null, HISTORY, "Why?", 512, ANSWER_ROOM, count);
        assertTrue(chatMl.sentTokens(built.messages()) > built.plan().used() - ANSWER_ROOM,
                "the parts alone do not count the template's tokens");
    }

    @Test
    void aPromptThatFitsOnlyWithoutTheTemplateIsCut() {
        for (var m : List.of(chatMl, llama3)) {
            var rendered = PromptTokens.of(m.engine(), m.formatter());
            var full = build(m, 4096, rendered).plan();
            int template = full.used(Kind.TEMPLATE);
            int withoutTemplate = full.used() - template;
            // room for every part's own tokens, but not for the template's
            int contextSize = withoutTemplate + template / 2;
            assertFalse(build(m, contextSize, null).plan().overBudget(), "fits when the template is not counted");

            var built = build(m, contextSize, rendered);
            var plan = built.plan();
            assertTrue(plan.overBudget());
            assertFalse(plan.cut().isEmpty(), "something is left out");
            assertEquals("message 1 (user)", plan.cut().getFirst().label(), "the oldest history first");
            assertTrue(plan.fits());
            int sent = m.sentTokens(built.messages());
            assertEquals(sent, plan.used() - ANSWER_ROOM);
            assertTrue(sent + ANSWER_ROOM <= contextSize, sent + " + " + ANSWER_ROOM + " > " + contextSize);
        }
    }

    @Test
    void thePromptsHeadEndsAfterItsLastSpecialToken() {
        var head = PromptTokens.Head.of(chatMl.engine(), "<|im_start|>system\nHi<|im_end|>\n<|im_start|>user\n");
        assertEquals("<|im_start|>system\nHi<|im_end|>\n<|im_start|>".length(), head.end());
        assertEquals(chatMl.engine().tokenize("<|im_start|>system\nHi<|im_end|>\n<|im_start|>", true, true).size(), head.tokens());
        // without special tokens in the vocabulary there is no head to reuse: the whole prompt is counted
        assertEquals(0, PromptTokens.Head.of(llama3.engine(), "<|start_header_id|>user<|end_header_id|>\n\n").end());
    }

    @Test
    void reusingThePromptsHeadCountsAsTheWholePromptWhileTyping() {
        for (var m : List.of(chatMl, llama3)) {
            var exact = PromptTokens.of(m.engine(), m.formatter());
            var reusing = PromptTokens.reusingHead(m.engine(), m.formatter(), 8);
            var question = " How is  the file\nmade? Hello world, the model's code.\n";
            for (int n = 0; n <= question.length(); n += 3) {
                var messages = List.of(ChatMessage.system("You help.\n\nFile: a.txt\n```\nalpha\n```"),
                        HISTORY.get(0), HISTORY.get(1), ChatMessage.user(question.substring(0, n)));
                assertEquals(exact.count(messages), reusing.count(messages), "typed " + n + " characters");
            }
        }
    }
}
