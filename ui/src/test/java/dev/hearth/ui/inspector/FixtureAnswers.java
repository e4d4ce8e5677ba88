package dev.hearth.ui.inspector;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.Engines;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.chat.ChatTemplate;
import dev.hearth.inference.chat.RenderOptions;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// Real token data for the inspector: a fixture model written by our GGUF writer, loaded into the real llama.cpp,
/// asked a chat prompt with token statistics on; its events become session-log [Token]s as the chat records them.
final class FixtureAnswers implements AutoCloseable {
    static final String SYSTEM = "You are a helpful model.";
    static final String HISTORY_USER = "Hello world";
    static final String HISTORY_ASSISTANT = "Hello, I can write code for you.";
    static final String QUESTION = "Write a function that can find the first number.";

    private final Engine engine;
    private final int contextSize = 512;

    FixtureAnswers() throws IOException {
        var home = Path.of(System.getenv().getOrDefault("HEARTH_HOME", "target/test-hearth-home")).toAbsolutePath();
        var model = FixtureModel.builder().name("Inspector fixture").width(64).layers(2).contextLength(contextSize).seed(7)
                .write(Files.createDirectories(home.resolve("models")).resolve("inspector-fixture.gguf"));
        engine = Engines.inProcess(NativeLibrary.bundled(home.resolve("cache")), EngineLog.SYSTEM_LOGGER);
        engine.load(model, LoadOptions.DEFAULT.withThreads(2).withContextSize(contextSize), LoadProgress.NONE);
    }

    private static List<Map<String, String>> messages(boolean withHistory, boolean withQuestion) {
        var messages = new ArrayList<Map<String, String>>();
        messages.add(Map.of("role", "system", "content", SYSTEM));
        if (withHistory) {
            messages.add(Map.of("role", "user", "content", HISTORY_USER));
            messages.add(Map.of("role", "assistant", "content", HISTORY_ASSISTANT));
        }
        if (withQuestion) messages.add(Map.of("role", "user", "content", QUESTION));
        return messages;
    }

    private static String render(List<Map<String, String>> messages, boolean generationPrompt) {
        return ChatTemplate.parse(FixtureModel.CHATML_TEMPLATE)
                .render(Map.of("messages", messages, "add_generation_prompt", generationPrompt), RenderOptions.defaults());
    }

    /// The chat prompt, tokenised by the model, with the tokens of each part counted on the rendered prefixes.
    PromptBreakdown prompt() {
        var full = render(messages(true, true), true);
        List<TokenPiece> pieces = engine.tokenize(full, true, true);
        int system = engine.tokenize(render(messages(false, false), false), true, true).size();
        int upToHistory = engine.tokenize(render(messages(true, false), false), true, true).size();
        return new PromptBreakdown(full, pieces, system, upToHistory - system, pieces.size() - upToHistory, contextSize);
    }

    /// Sentences of the fixture vocabulary's words. The fixture's weights are random, so left alone it writes
    /// byte soup; this grammar keeps the answer readable while the statistics stay the raw model's (llama.cpp
    /// reports them before the grammar), so the alternatives still show what the model itself preferred.
    static final String WORDS_GRAMMAR = """
            root ::= sentence sentence sentence sentence sentence sentence
            sentence ::= word (" " word)+ ("." | "," | "!" | "?") (" " | "\\n")
            word ::= "the" | "of" | "and" | "to" | "in" | "is" | "you" | "that" | "it" | "was" | "for" | "on" | "are" \
                | "with" | "this" | "have" | "from" | "one" | "word" | "but" | "not" | "what" | "all" | "we" | "when" \
                | "your" | "can" | "there" | "use" | "each" | "which" | "how" | "if" | "will" | "about" | "many" \
                | "then" | "some" | "make" | "like" | "time" | "look" | "more" | "write" | "see" | "number" | "way" \
                | "people" | "first" | "water" | "find" | "long" | "day" | "get" | "come" | "made" | "part" \
                | "Hello" | "world" | "model" | "token" | "code" | "file" | "function" | "return" | "class" \
                | "public" | "int" | "void" | "new" | "true" | "false" | "null" | "import" | "def" | "print" | "while"
            """;

    /// The answer to [#prompt()]: up to `count` tokens sampled with a fixed seed, each with its top `alternatives`.
    List<Token> answer(int count, int alternatives) {
        var sampling = Sampling.DEFAULT.withSeed(42).withMaxTokens(count).withTopLogprobs(alternatives).withTemperature(1.0)
                .withGrammar(WORDS_GRAMMAR);
        var tokens = new ArrayList<Token>();
        double[] ms = {0};
        engine.generate(new GenerationRequest(prompt().renderedPrompt(), sampling), event -> {
            if (event instanceof GenerationEvent.Token t) {
                ms[0] += t.elapsedMs();
                tokens.add(new Token(t.index(), t.id(), t.text(), (float) t.logprob(), t.rank() > 0 ? t.rank() - 1 : -1,
                        (float) t.entropy(), (float) ms[0],
                        t.top().stream().map(a -> new TopToken(a.id(), a.text(), (float) a.logprob())).toList()));
            }
        });
        return tokens;
    }

    @Override
    public void close() {
        engine.close();
    }
}
