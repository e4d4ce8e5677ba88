package dev.hearth.ui.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.Engines;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.GenerationEnd;
import dev.hearth.storage.GenerationStats;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.RunRecord;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Real recorded runs for the History tests: a fixture model written by our GGUF writer, run in the real llama.cpp
/// (in-process) with a fixed seed, and recorded in a real session log the way `hearth run` records them.
final class RecordedRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /// Words only, so an answer has words to search for (the fixture's random weights otherwise write byte soup).
    static final String WORDS_GRAMMAR = """
            root ::= word (" " word) (" " word) (" " word) (" " word) (" " word) (" " word) (" " word)
            word ::= "river" | "stone" | "garden" | "ember" | "winter" | "violet" | "orange" | "kernel" | "hearth" \
                | "north" | "south" | "paper" | "window" | "thread" | "light" | "proof"
            """;
    static final LoadOptions LOAD = LoadOptions.DEFAULT.withThreads(2).withContextSize(256);

    private RecordedRuns() {}

    static Path home() {
        return Path.of(System.getenv().getOrDefault("HEARTH_HOME", "target/test-hearth-home")).toAbsolutePath();
    }

    /// The fixture model (written once per path; the writer is deterministic).
    static Path model(String fileName, long seed) {
        try {
            var file = Files.createDirectories(home().resolve("models")).resolve(fileName);
            return FixtureModel.builder().name("History fixture").width(64).layers(2).contextLength(256).seed(seed)
                    .write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Engine engine() {
        return Engines.inProcess(NativeLibrary.bundled(home().resolve("cache")), EngineLog.SYSTEM_LOGGER);
    }

    static Sampling sampling(long seed) {
        return Sampling.DEFAULT.withSeed(seed).withTemperature(1.0).withMaxTokens(24).withTopLogprobs(3)
                .withGrammar(WORDS_GRAMMAR);
    }

    /// Runs `prompt` on `model` with `sampling` and records it in `log`; returns the generation's id.
    static long record(SessionLog log, @Nullable Long sessionId, Path model, String prompt, Sampling sampling) {
        try (var engine = engine()) {
            engine.load(model, LOAD, LoadProgress.NONE);
            var run = new RunRecord(model.toString(), model.getFileName().toString(), null, "llama.cpp test",
                    "in-process", JSON.convertValue(LOAD, MAP), JSON.convertValue(sampling, MAP), sampling.seed(), prompt,
                    engine.tokenize(prompt, true, true).size(), Instant.now());
            var writer = log.startGeneration(sessionId, null, run);
            var tokens = new ArrayList<Token>();
            double[] ms = {0};
            var stats = engine.generate(new GenerationRequest(prompt, sampling), event -> {
                if (event instanceof GenerationEvent.Token t) {
                    ms[0] += t.elapsedMs();
                    var token = new Token(t.index(), t.id(), t.text(), (float) t.logprob(), t.rank() > 0 ? t.rank() - 1 : -1,
                            (float) t.entropy(), (float) ms[0],
                            t.top().stream().map(a -> new TopToken(a.id(), a.text(), (float) a.logprob())).toList());
                    tokens.add(token);
                    writer.append(token);
                }
            });
            writer.finish(new GenerationEnd(GenerationStatus.DONE, stats.stopReason().name().toLowerCase(Locale.ROOT), null,
                    null, new GenerationStats(stats.promptTokens(), stats.promptMs(), stats.generatedTokens(),
                            stats.generationMs(), stats.generationTokensPerSecond(), stats.promptTokensPerSecond(),
                            stats.timeToFirstTokenMs()), Instant.now()));
            long id = writer.id().join();
            log.flush();
            return id;
        }
    }
}
