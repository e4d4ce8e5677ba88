package dev.hearth.inference.project;

import dev.hearth.inference.Engine;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.inference.gguf.FixtureModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/// The Project budget's count of the rendered prompt per keystroke, on the fixture model (ChatML, the real
/// llama.cpp in-process): a system message with `kib` KiB of files, two earlier turns and a question one character
/// longer each call. `exact` renders and tokenizes the whole prompt ([PromptTokens#of]); `reusingHead` renders it
/// but tokenizes only what follows the head ([PromptTokens#reusingHead], the live budget's way). Not a test; run:
///
///     ./mvnw -q -B -o -pl inference -am test-compile dependency:build-classpath \
///         -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
///     HEARTH_HOME=inference/target/test-hearth-home java --enable-native-access=ALL-UNNAMED \
///         -cp "inference/target/test-classes:inference/target/classes:$(cat inference/target/test-classpath.txt)" \
///         org.openjdk.jmh.Main PromptTokensBenchmark
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PromptTokensBenchmark {
    @Param({"16", "128"})
    public int kib;

    private Path dir;
    private Engine engine;
    private PromptTokens exact;
    private PromptTokens reusing;
    private List<ChatMessage> head;
    private int typed;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        var home = System.getenv("HEARTH_HOME");
        var library = NativeLibrary.bundled(Path.of(home != null ? home : "target/test-hearth-home").toAbsolutePath().resolve("cache"));
        dir = Files.createTempDirectory("prompt-tokens-bench");
        var model = FixtureModel.builder().write(dir.resolve("tiny.gguf"));
        engine = Engines.inProcess(library);
        var summary = engine.load(model, LoadOptions.DEFAULT.withThreads(1).withContextSize(512), LoadProgress.NONE);
        var formatter = EngineChatFormatter.of(engine, summary, Engines.builtinChatFormatter(library));
        exact = PromptTokens.of(engine, formatter);
        reusing = PromptTokens.reusingHead(engine, formatter, 8);
        var files = new StringBuilder("You help.\n\nFiles from the project:\n\n");
        int n = 0;
        while (files.length() < kib * 1024) {
            files.append("File: src/Part").append(n).append(".java\n```\npublic class Part").append(n++)
                    .append(" {\n    int value() { return the + model; } // Hello world, the code\n}\n```\n\n");
        }
        head = List.of(ChatMessage.system(files.toString()), ChatMessage.user("What does the model do?"),
                ChatMessage.assistant("It writes the next token of the code."));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        try (var files = Files.list(dir)) {
            for (var f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    private List<ChatMessage> nextKeystroke() {
        typed = typed % 200 + 1;
        var messages = new ArrayList<>(head);
        messages.add(ChatMessage.user("Why is the model ".repeat(12).substring(0, typed)));
        return messages;
    }

    @Benchmark
    public int exact() {
        return exact.count(nextKeystroke());
    }

    @Benchmark
    public int reusingHead() {
        return reusing.count(nextKeystroke());
    }
}
