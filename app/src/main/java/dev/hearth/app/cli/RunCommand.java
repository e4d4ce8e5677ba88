package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.Sampling;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `hearth run`: continue a raw prompt with a model and stream the text, or every token's data as JSON Lines.
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Continue a raw prompt with a GGUF model, token by token.",
        description =
                "Continue a raw prompt with a GGUF model (llama.cpp in an engine worker process; --in-process runs it " +
                "in this process). The text streams to stdout and " +
                "a one-line summary goes to stderr. With --json, stdout gets one JSON object per token (id, text, " +
                "logprob, rank, entropy, p, top alternatives, ms) and a final {\"stats\":…} object. Log-probabilities " +
                "are natural logarithms of the model's raw distribution (before temperature and truncation); p is " +
                "the chosen token's probability after the whole sampler chain (1 for greedy).")
public final class RunCommand implements Callable<Integer> {
    @Mixin EngineOptions engineOptions;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT|-", description = "The prompt; - reads it from stdin.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin SamplingOptions samplingOptions;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when TEXT appears (not printed); repeatable.")
    List<String> stop = new ArrayList<>();

    @ArgGroup(exclusive = true)
    @Nullable Constraint constraint;

    static final class Constraint {
        @Option(names = "--grammar", paramLabel = "FILE", description = "A GBNF grammar the output must follow.")
        @Nullable Path grammar;

        @Option(names = "--json-schema", paramLabel = "FILE", description = "A JSON schema the output must follow.")
        @Nullable Path jsonSchema;
    }

    @Option(names = "--top-logprobs", paramLabel = "K", defaultValue = "0", description = "Alternatives per token in --json, 0..20 (default: ${DEFAULT-VALUE}).")
    int topLogprobs;

    @Option(names = "--truncate", description = "Drop the prompt's oldest tokens if it does not fit the context.")
    boolean truncate;

    @Option(names = "--json", description = "Print JSON Lines: one object per token, then the stats.")
    boolean json;

    @Option(names = "--no-log", description = "Do not record this run in the session log (hearth log list shows recorded runs).")
    boolean noLog;

    @Spec CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var sampling = sampling();
        String text = "-".equals(prompt) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : prompt;
        var request = new GenerationRequest(text, sampling).withTruncateLeft(truncate);
        try (var engine = engineOptions.open();
                var recorder = noLog ? null : RunRecorder.open(DataFolders.fromEnvironment().database(), err)) {
            var loadOptions = engineOptions.loadOptions();
            engineOptions.load(engine, loadOptions);
            GenerationStats stats;
            try {
                if (recorder != null) {
                    int promptTokens = engine.tokenize(text, true, true).size();
                    recorder.start(engineOptions.modelPath(), engine.capabilities().libraryBuild(),
                            engineOptions.engineLabel(), loadOptions, sampling, text, promptTokens);
                }
                stats = engine.generate(request, event -> {
                    if (recorder != null && event instanceof GenerationEvent.Token t) recorder.token(t);
                    print(event, out);
                });
                if (recorder != null) recorder.finish(stats);
            } catch (EngineException e) {
                out.flush();
                var failure = EngineOptions.failure(e);
                if (recorder != null) recorder.fail(failure.getMessage());
                throw failure;
            }
            out.flush();
            if (!json) {
                out.println();
                out.flush();
                err.println(summary(stats));
                err.flush();
            }
            return 0;
        }
    }

    private Sampling sampling() {
        try {
            var s = samplingOptions.sampling(maxTokens).withStop(stop).withTopLogprobs(topLogprobs);
            if (constraint != null && constraint.grammar != null) s = s.withGrammar(read(constraint.grammar, "grammar"));
            if (constraint != null && constraint.jsonSchema != null) s = s.withJsonSchema(read(constraint.jsonSchema, "JSON schema"));
            return s;
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read the " + what + " file " + file + ": " + e.getClass().getSimpleName(), 2);
        }
    }

    private void print(GenerationEvent event, PrintWriter out) {
        switch (event) {
            case GenerationEvent.Token t -> {
                if (json) {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("index", t.index());
                    o.put("id", t.id());
                    o.put("text", t.text());
                    o.put("logprob", t.logprob());
                    o.put("rank", t.rank());
                    o.put("entropy", t.entropy());
                    if (!Double.isNaN(t.postSamplerProbability())) o.put("p", t.postSamplerProbability());
                    var top = o.putArray("top");
                    for (var alt : t.top())
                        top.addObject().put("id", alt.id()).put("text", alt.text()).put("logprob", alt.logprob());
                    o.put("ms", Math.round(t.elapsedMs() * 1000) / 1000.0);
                    out.println(o);
                } else {
                    out.print(t.text());
                }
                out.flush();
            }
            case GenerationEvent.Finished f -> {
                if (json) {
                    var s = f.stats();
                    ObjectNode o = JSON.createObjectNode();
                    var st = o.putObject("stats");
                    st.put("prompt_tokens", s.promptTokens());
                    st.put("prompt_ms", round(s.promptMs()));
                    st.put("prompt_tps", round(s.promptTokensPerSecond()));
                    st.put("tokens", s.generatedTokens());
                    st.put("gen_ms", round(s.generationMs()));
                    st.put("gen_tps", round(s.generationTokensPerSecond()));
                    st.put("ttft_ms", round(s.timeToFirstTokenMs()));
                    st.put("stop", f.reason().wireName());
                    if (s.promptTokensDropped() > 0) st.put("prompt_tokens_dropped", s.promptTokensDropped());
                    out.println(o);
                    out.flush();
                }
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String summary(GenerationStats s) {
        return String.format(Locale.ROOT,
                "%d tokens, %.1f tok/s; prompt %d tokens in %.0f ms (%.1f tok/s)%s; first token after %.0f ms; stop: %s",
                s.generatedTokens(), s.generationTokensPerSecond(), s.promptTokens(), s.promptMs(),
                s.promptTokensPerSecond(),
                s.promptTokensDropped() > 0 ? ", " + s.promptTokensDropped() + " dropped from the start" : "",
                s.timeToFirstTokenMs(), s.stopReason().wireName());
    }
}
