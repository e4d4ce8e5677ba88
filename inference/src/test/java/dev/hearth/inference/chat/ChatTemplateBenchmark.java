package dev.hearth.inference.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// Rendering a 50-message conversation (a system prompt, then user and assistant turns of a few hundred
/// characters) with real templates, warm. Target: under 5 ms. Not a test; run it with the command in the README:
///
///     ./mvnw -q -B -pl inference -am test-compile dependency:build-classpath \
///         -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
///     java -cp "inference/target/test-classes:inference/target/classes:$(cat inference/target/test-classpath.txt)" \
///         org.openjdk.jmh.Main ChatTemplateBenchmark
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChatTemplateBenchmark {
    @Param({"llama-3.1-instruct", "qwen2.5-instruct", "chatml"})
    public String template;

    private String source;
    private ChatTemplate parsed;
    private ChatRequest request;
    private SpecialTokens tokens;
    private RenderOptions options;

    @Setup
    public void setUp() {
        source = ChatTemplateFamiliesTest.template(template);
        parsed = ChatTemplate.parse(source);
        var messages = new ArrayList<ChatMessage>();
        messages.add(ChatMessage.system("You are a helpful assistant. Answer briefly and cite your sources."));
        for (int i = 1; i < 50; i++) {
            var text = (i % 2 == 1 ? "Question " : "Answer ") + i + ": "
                    + "The quick brown fox jumps over the lazy dog, then explains why. ".repeat(4);
            messages.add(i % 2 == 1 ? ChatMessage.user(text) : ChatMessage.assistant(text));
        }
        request = new ChatRequest(messages, null, true, Map.of());
        tokens = SpecialTokens.of("<|begin_of_text|>", "<|eot_id|>");
        options = RenderOptions.defaults();
    }

    /// The engine's path: the parsed template comes from the cache, then it renders.
    @Benchmark
    public String render50Messages() {
        return ChatTemplate.parse(source).render(request, tokens, options);
    }

    /// Parsing alone, without the cache.
    @Benchmark
    public List<Ast.Node> parseOnly() {
        return Parser.parse(Lexer.tokenize(source, 500_000), ChatTemplate.MAX_NESTING);
    }

    /// Rendering alone, on an already parsed template.
    @Benchmark
    public String renderParsed() {
        return parsed.render(request, tokens, options);
    }
}
